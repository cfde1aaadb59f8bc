"""The planner at national scale: the greedy orders first, then large-neighbourhood search by windows of weeks.

Set-up stays within the time limit: the arrays (seconds), the coordinator's greedy orders (each stopped at
the deadline with a valid plan), the candidate pairs; then rounds of neighbourhoods, the ones that do not
overlap solved at the same time on Dask's distributed scheduler (`solver.cluster`). A neighbourhood's plan is
taken only when it fills more (or as much with fewer specialist × need pairs), so the plan returned never
fills less than the best greedy order. Then, until `national_goals_share` of the time limit, the same
neighbourhoods run the goal steps after fill at their fill (`solver.national.goal_neighbourhood`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from solver.assemble import assemble
from solver.config import PlanningConfig
from solver.greedy import GREEDY_ORDERS
from solver.instance import Instance
from solver.national.bounds import simple_bounds
from solver.national.greedy import national_greedy
from solver.national.lns import Search
from solver.national.prepare import add_candidates, add_pairs, start_prepare
from solver.national.tables import build_tables
from solver.pipeline.budget import TimeBudget
from solver.plans import PlanInHand
from solver.result import PlanResult, Progress


def solve_national(
    instance: Instance,
    config: PlanningConfig,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    started: float | None = None,
) -> PlanResult:
    """Plan a national instance; the instance is checked already. Never raises for "no solution"."""
    budget = TimeBudget(config, time.monotonic() if started is None else started)
    deadline = budget.started + config.time_limit - max(budget.reserve(), config.national_reserve_seconds)
    info: dict[str, Any] = {"stage_seconds": {}}
    lap = _lapper(budget, info)
    tables = build_tables(instance, config.frozen_weeks)
    prep = start_prepare(tables)
    lap("set-up")
    plans: list[PlanInHand] = []
    for order in GREEDY_ORDERS:
        if plans and (time.monotonic() > deadline or _stopped(stop)):
            break
        plans.append(PlanInHand.of(prep, national_greedy(tables, prep, order, deadline), f"greedy {order}"))
        lap(f"greedy {order}")
    best = max(plans, key=lambda p: p.fill)  # the first of equals
    fixed = sum(a.hours * prep.requests[a.request].weight for a in prep.fixed)
    info["greedy_fills"] = {p.source.removeprefix("greedy "): p.fill + fixed for p in plans}
    info["greedy_fill"] = best.fill + fixed
    complete = add_candidates(tables, prep, config.candidates_per_need, deadline)
    add_pairs(tables, prep, best.assignments())
    lap("candidates")
    bound, fillable = simple_bounds(tables)
    lap("bound")
    goals_until = budget.started + config.national_goals_share * config.time_limit
    search = Search(prep, config, best, deadline, on_progress, stop, budget.started, bound, goals_until)
    if complete and not _stopped(stop):
        search.run()
    lap("neighbourhoods")
    info.update(search.figures())
    return _result(prep, config, budget, search.best, info, fillable, bound, fixed, stop)


def _lapper(budget: TimeBudget, info: dict[str, Any]) -> Callable[[str], None]:
    def lap(stage: str) -> None:
        laps = info["stage_seconds"]
        laps[stage] = round(max(0.0, budget.elapsed() - sum(laps.values())), 3)

    return lap


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def _result(
    prep: Any,
    config: PlanningConfig,
    budget: TimeBudget,
    best: PlanInHand,
    info: dict[str, Any],
    fillable: dict[str, float],
    bound: int,
    fixed: int,
    stop: threading.Event | None,
) -> PlanResult:
    total = best.fill + fixed
    status = "OPTIMAL" if total >= bound else "FEASIBLE"
    info.update(
        workers=config.workers,
        seed=config.seed,
        mode="reproducible" if config.reproducible else "fast",
        parts=1,
        status=status,
        seconds=round(budget.elapsed(), 3),
        objective=total,
        best_fill_found=total,
        bound=bound,
        bound_source="simple (each request with the pool to itself)",
        gap=round((bound - total) / max(1.0, bound), 6),
        fill_status="OPTIMAL" if total >= bound else "FEASIBLE",
        fill_optimum=total if total >= bound else None,
        # the goals after fill: each neighbourhood's goal steps, none proven for the whole plan
        goals_status="FEASIBLE" if info.get("goal_neighbourhoods_solved") else "NOT_RUN",
        plan_source=best.source,
        stopped_early=_stopped(stop),
        lp_bound=None,
        fillable_source="simple bound",
        candidate_pairs=len(prep.eligible_weeks),
    )
    plan = list(prep.fixed) + best.assignments()
    return assemble(prep, config, plan, info, fillable, status)
