"""Peak memory of a benchmark: the largest resident memory of this process and all its children together."""

from __future__ import annotations

import threading

import psutil


class PeakMemory:
    """The largest resident memory of this process and its children together, in MB."""

    def __init__(self) -> None:
        self.peak = 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        me = psutil.Process()
        while not self.done.wait(0.5):
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total / 2**20)

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak
