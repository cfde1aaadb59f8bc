"""The independent parts of an instance solved on Dask's distributed scheduler, with progress and stop relayed.

Each bin of parts is one task on a worker (`solver.cluster`: a local cluster, or the one POOL_DASK_SCHEDULER
names). The caller's stop reaches the tasks through a Dask Event, their progress comes back through a Dask
Queue; both are named for this solve only.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from distributed import Client, Event, Queue

from solver.cluster import dask_client
from solver.config import PlanningConfig
from solver.result import PlanResult, Progress

Report = Callable[[int, Progress], None]
SolveJobs = Callable[..., list[tuple[int, PlanResult]]]  # (jobs, config, deadline, report, stop) → results


def solve_bins(
    bins: list[list[Any]],
    solve_jobs: SolveJobs,
    config: PlanningConfig,
    deadline: float,
    report: Report | None,
    stop: threading.Event | None,
    meanwhile: Callable[[], None],
    finished: Callable[[int, PlanResult], None],
) -> None:
    """Run `solve_jobs(bin, config, deadline, report, stop)` for each bin on Dask; `meanwhile` runs here while
    they do; `finished` gets each part's result as its bin ends."""
    with dask_client(len(bins)) as client:
        name = uuid.uuid4().hex
        child_stop = Event(f"stop-{name}", client=client)
        progress = Queue(f"progress-{name}", client=client) if report is not None else None
        if stop is not None and stop.is_set():
            child_stop.set()  # before any task starts, so none begins a search
        done = threading.Event()
        relay = threading.Thread(target=_relay, args=(done, stop, child_stop, progress, report), daemon=True)
        relay.start()
        try:
            futures = [
                client.submit(_solve_bin, solve_jobs, jobs, config, deadline, name, report is not None, pure=False)
                for jobs in bins
            ]
            _collect(client, futures, meanwhile, finished, child_stop)
        finally:
            done.set()
            relay.join()


def _collect(
    client: Client,
    futures: list[Any],
    meanwhile: Callable[[], None],
    finished: Callable[[int, PlanResult], None],
    child_stop: Event,
) -> None:
    try:
        meanwhile()
        pending = list(futures)
        while pending:  # each bin's results as soon as it ends
            for future in [f for f in pending if f.done()]:
                pending.remove(future)
                for index, result in future.result():
                    finished(index, result)
            time.sleep(0.05)
    except BaseException:
        child_stop.set()  # the other parts need not run to their time limit for nothing
        client.cancel(futures)
        raise


def _relay(
    done: threading.Event,
    stop: threading.Event | None,
    child_stop: Event,
    progress: Queue | None,
    report: Report | None,
) -> None:
    """Forward the caller's stop to the tasks and their progress to the caller, until the solve is over."""
    while not done.is_set():
        if stop is not None and stop.is_set() and not child_stop.is_set():
            child_stop.set()
        if progress is None or report is None:
            done.wait(0.05)
            continue
        try:
            index, step = progress.get(timeout=0.05)
        except TimeoutError:
            continue
        report(index, step)


def _solve_bin(
    solve_jobs: SolveJobs, jobs: list[Any], config: PlanningConfig, deadline: float, name: str, reports: bool
) -> list[tuple[int, PlanResult]]:
    """One bin on a Dask worker: the stop is the solve's Event (is_set() and wait(), all the planner asks)."""
    stop = Event(f"stop-{name}")
    report = None
    if reports:
        queue = Queue(f"progress-{name}")

        def report(index: int, progress: Progress) -> None:
            queue.put((index, progress))

    return solve_jobs(jobs, config, deadline, report, stop)
