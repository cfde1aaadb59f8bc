"""Rounds of neighbourhoods on Dask: the blocks of one colour at a time, each block's plan taken when better.

A round sends each neighbourhood of one colour, with the capacity the rest of the plan leaves it and a share
of the partner budget's slack, to a Dask worker (`solver.cluster`); the next round takes the next colour, and
after all colours the blocks shift by half a block. The search ends at the deadline, on the caller's stop,
or after two passes over the colours that improved nothing. Then the same rounds run the goal steps
(`solver.national.goal_neighbourhood`) until their own deadline, on the same cluster.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from distributed import Client, Future

from solver.cluster import dask_client
from solver.config import PlanningConfig
from solver.model import XKey
from solver.national.goal_neighbourhood import GoalsSolved, improve_goals
from solver.national.neighbourhoods import Neighbourhood, Solved, neighbourhoods, solve_neighbourhood, sub_prepared
from solver.plans import PlanInHand
from solver.prepared import Prepared
from solver.result import Progress

MARGIN = 5.0  # seconds a round keeps back for sending the neighbourhoods and taking their plans in


@dataclass
class Tally:
    """What one search (fill, or the goal steps) did: rounds, neighbourhoods solved and taken, their statuses."""

    rounds: int = 0
    solved: int = 0
    improved: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def count(self, status: str) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1


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
        goals_until: float | None = None,
    ) -> None:
        self.prep, self.config, self.best, self.deadline = prep, config, start, deadline
        self.on_progress, self.stop, self.started, self.bound = on_progress, stop, started, bound
        self.goals_until = goals_until  # the goal steps' neighbourhoods end by then (none: they do not run)
        self.fill, self.goals = Tally(), Tally()
        self.steps: dict[str, dict[str, int]] = {}  # per goal step, how many neighbourhoods ended how
        self.tally = self.fill  # the search running

    def run(self) -> None:
        """The fill search, then (with `goals_until`) the goal steps' search, on one cluster."""
        with dask_client(self.config.workers) as client:
            self._passes(client)
            if self.goals_until is not None and not self._stopped():
                self.tally, self.deadline = self.goals, min(self.deadline, self.goals_until)
                self._passes(client)

    def _passes(self, client: Client) -> None:
        """Passes over the colours, the blocks shifted by half a block each pass, until two improved nothing."""
        block = max(1, self.config.national_block_weeks)
        idle = 0  # passes over all colours in a row that improved nothing
        for n in range(1_000_000):
            offset = (n * (block // 2)) % block
            parts = neighbourhoods(self.prep, block, offset)
            before = self._progress()
            colours = sorted({p.colour for p in parts})
            for k, colour in enumerate(colours):
                if not self._round(client, [p for p in parts if p.colour == colour], len(colours) - k):
                    return
            idle = 0 if self._progress() > before else idle + 1
            if idle >= 2:
                return

    def _progress(self) -> int:
        """What a pass must raise not to count as idle: the fill, or the goal search's plans taken."""
        return self.goals.improved if self.tally is self.goals else self.best.fill

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
        goals = self.tally is self.goals
        task = improve_goals if goals else solve_neighbourhood
        for n, part in enumerate(parts):
            sub = sub_prepared(self.prep, hours, part, self._partner(hours, part.requests) + share, previous=goals)
            mine = {k: h for k, h in hours.items() if k[0][0] in part.requests}
            # scattered first, to the worker that solves it: the neighbourhood's data travels once, outside
            # the task graph, and never from worker to worker (a transfer cut off by the cluster's close at
            # the end of the solve was logged as an error)
            at = workers[n % len(workers)]
            data = client.scatter([sub, mine], hash=False, workers=at)
            futures[part] = client.submit(task, data[0], cfg, data[1], until, pure=False, workers=at)
        self._take(futures, ends)
        self.tally.rounds += 1
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
            got: Solved | GoalsSolved = future.result()
            self.tally.solved += 1
            mine = {k: h for k, h in hours.items() if k[0][0] in part.requests}
            now = PlanInHand.from_hours(self.prep, mine, "")
            if self._better(got, now):
                self.tally.improved += 1
                hours = {k: h for k, h in hours.items() if k[0][0] not in part.requests} | got.hours
        if hours != self.best.hours:
            suffix = " +neighbourhoods" + (" +goals" if self.goals.improved else "")
            self.best = PlanInHand.from_hours(self.prep, hours, self.best.source.split(" +")[0] + suffix)

    def _better(self, got: Solved | GoalsSolved, now: PlanInHand) -> bool:
        """Whether the neighbourhood's plan is taken: more fill (or as much on fewer specialist × need pairs);
        after the goal steps, at least as much fill and better goal by goal."""
        if isinstance(got, GoalsSolved):
            self.tally.count("BETTER" if got.better else "NOT BETTER")
            for step, status in got.steps.items():
                self.steps.setdefault(step, {})[status] = self.steps.get(step, {}).get(status, 0) + 1
            return got.better and got.fill >= now.fill
        self.tally.count(got.status)
        return (got.fill, -got.pairs) > (now.fill, -len({(k, s) for k, s, _ in now.hours}))

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
        fill, goals = self.fill, self.goals
        return {
            "neighbourhood_rounds": fill.rounds,
            "neighbourhoods_solved": fill.solved,
            "neighbourhoods_improved": fill.improved,
            "neighbourhood_status": dict(fill.statuses),
            "goal_neighbourhood_rounds": goals.rounds,
            "goal_neighbourhoods_solved": goals.solved,
            "goal_neighbourhoods_improved": goals.improved,
            "goal_neighbourhood_status": dict(goals.statuses),
            # per goal step, how its neighbourhoods ended (e.g. "OPTIMAL×3, FEASIBLE×5")
            "goal_steps": {k: ", ".join(f"{s}×{n}" for s, n in v.items()) for k, v in self.steps.items()},
            "variables": sum(len(w) for w in self.prep.eligible_weeks.values()),
        }
