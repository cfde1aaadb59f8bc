"""Rounds of neighbourhoods on Dask: the blocks of one colour at a time, each block's plan taken when better.

A round sends each neighbourhood of one colour, with the capacity the rest of the plan leaves it and a share
of the partner budget's slack, to a Dask worker (`solver.cluster`); the next round takes the next colour, and
after all colours the blocks shift by half a block. The search ends at the deadline, on the caller's stop,
or after two passes over the colours that improved nothing.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import Any

from distributed import Client, Future

from solver.cluster import dask_client
from solver.config import PlanningConfig
from solver.model import XKey
from solver.national.neighbourhoods import Neighbourhood, Solved, neighbourhoods, solve_neighbourhood, sub_prepared
from solver.plans import PlanInHand
from solver.prepared import Prepared
from solver.result import Progress

MARGIN = 5.0  # seconds a round keeps back for sending the neighbourhoods and taking their plans in


class Search:
    def __init__(
        self,
        prep: Prepared,
        config: PlanningConfig,
        start: PlanInHand,
        deadline: float,
        on_progress: Callable[[Progress], None] | None,
        stop: threading.Event | None,
        started: float,
        bound: int,
    ) -> None:
        self.prep, self.config, self.best, self.deadline = prep, config, start, deadline
        self.on_progress, self.stop, self.started, self.bound = on_progress, stop, started, bound
        self.rounds = self.solved = self.improved = 0
        self.statuses: dict[str, int] = {}

    def run(self) -> None:
        block = max(1, self.config.national_block_weeks)
        idle = 0  # passes over all colours in a row that improved nothing
        with dask_client(self.config.workers) as client:
            for n in range(1_000_000):
                offset = (n * (block // 2)) % block
                parts = neighbourhoods(self.prep, block, offset)
                before = self.best.fill
                colours = sorted({p.colour for p in parts})
                for k, colour in enumerate(colours):
                    if not self._round(client, [p for p in parts if p.colour == colour], len(colours) - k):
                        return
                idle = 0 if self.best.fill > before else idle + 1
                if idle >= 2:
                    return

    def _round(self, client: Client, parts: list[Neighbourhood], rounds_left: int) -> bool:
        """Solve one colour's neighbourhoods side by side; whether there is time for another round.

        A round gets at most its share of the time left in this pass over the colours (and at most the step).
        """
        left = self.deadline - time.monotonic() - MARGIN
        seconds = min(self.config.national_step_seconds, left / rounds_left)
        if seconds < 1.0 or self._stopped():
            return False
        ends = time.monotonic() + seconds  # the round's end, sending and taking in included
        hours = self.best.hours
        slack = self.prep.partner_budget_left - self._partner(hours, None)
        share = max(0, slack) // max(1, len(parts))
        cfg = dataclasses.replace(self.config, workers=max(1, self.config.workers // len(parts)))
        futures: dict[Neighbourhood, Future] = {}
        until = time.time() + seconds - MARGIN / 2  # wall clock: the workers may be other machines
        workers = sorted(client.scheduler_info()["workers"]) or [None]
        for n, part in enumerate(parts):
            sub = sub_prepared(self.prep, hours, part, self._partner(hours, part.requests) + share)
            mine = {k: h for k, h in hours.items() if k[0][0] in part.requests}
            # scattered first, to the worker that solves it: the neighbourhood's data travels once, outside
            # the task graph, and never from worker to worker (a transfer cut off by the cluster's close at
            # the end of the solve was logged as an error)
            at = workers[n % len(workers)]
            data = client.scatter([sub, mine], hash=False, workers=at)
            futures[part] = client.submit(solve_neighbourhood, data[0], cfg, data[1], until, pure=False, workers=at)
        self._take(futures, ends)
        self.rounds += 1
        self._report()
        return True

    def _take(self, futures: dict[Neighbourhood, Future], until: float) -> None:
        """Wait for the neighbourhoods until then (the caller's stop ends the wait); take every better plan."""
        while not all(f.done() for f in futures.values()) and time.monotonic() < until and not self._stopped():
            time.sleep(0.1)
        hours = dict(self.best.hours)
        for part, future in futures.items():
            if future.status != "finished":
                future.cancel()
                continue
            got: Solved = future.result()
            self.solved += 1
            self.statuses[got.status] = self.statuses.get(got.status, 0) + 1
            mine = {k: h for k, h in hours.items() if k[0][0] in part.requests}
            now = PlanInHand.from_hours(self.prep, mine, "")
            if (got.fill, -got.pairs) > (now.fill, -len({(k, s) for k, s, _ in mine})):
                self.improved += 1
                hours = {k: h for k, h in hours.items() if k[0][0] not in part.requests} | got.hours
        if hours != self.best.hours:
            self.best = PlanInHand.from_hours(self.prep, hours, self.best.source.split(" +")[0] + " +neighbourhoods")

    def _partner(self, hours: dict[XKey, int], requests: frozenset[str] | None) -> int:
        """Partner hours of the plan (of those requests only, when given)."""
        specialists = self.prep.specialists
        return sum(
            h
            for (key, sid, _), h in hours.items()
            if specialists[sid].kind == "partner" and (requests is None or key[0] in requests)
        )

    def _stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def _report(self) -> None:
        if self.on_progress is None:
            return
        fill = self.best.fill + sum(a.hours * self.prep.requests[a.request].weight for a in self.prep.fixed)
        seconds = round(time.monotonic() - self.started, 3)
        self.on_progress(Progress("neighbourhood", seconds, float(fill), float(self.bound), weighted_fill=fill))

    def figures(self) -> dict[str, Any]:
        return {
            "neighbourhood_rounds": self.rounds,
            "neighbourhoods_solved": self.solved,
            "neighbourhoods_improved": self.improved,
            "neighbourhood_status": dict(self.statuses),
            "variables": sum(len(w) for w in self.prep.eligible_weeks.values()),
        }
