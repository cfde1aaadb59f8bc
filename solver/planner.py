"""The planner: named stages in order, fill first and every later goal at that fill (solver.pipeline)."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from solver.assemble import assemble
from solver.checks import check_instance
from solver.config import PlanningConfig
from solver.instance import Instance
from solver.pipeline.budget import TimeBudget
from solver.pipeline.build import build_model
from solver.pipeline.choice import best_in_hand, fill_floor
from solver.pipeline.context import Run
from solver.pipeline.fill_step import FillOutcome, fill_step
from solver.pipeline.fillable import fillable_started
from solver.pipeline.goal_steps import goal_steps
from solver.pipeline.repairs import repairs
from solver.pipeline.starts import start_plans
from solver.pipeline.untouched import keep_untouched
from solver.plans import PlanInHand
from solver.prepared import Prepared, prepare
from solver.result import PlanResult, Progress


def solve(
    instance: Instance,
    config: PlanningConfig | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> PlanResult:
    """Plan the instance as one part; never raises for "no solution", only ValueError for invalid input."""
    config = config or PlanningConfig()
    check_instance(instance)
    budget = TimeBudget(config)
    return solve_prepared(prepare(instance, config.frozen_weeks), config, budget, on_progress, stop)


def solve_prepared(
    prep: Prepared,
    config: PlanningConfig,
    budget: TimeBudget,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> PlanResult:
    """The stages: starts, model, fill, repairs, goal steps, choice; the instance checked and prepared."""
    run = Run(prep, config, budget, {}, on_progress, stop)
    with fillable_started(prep, config, in_process=run.replan) as fillable:
        starts = start_plans(run)
        if run.replan:
            starts = keep_untouched(run, starts)  # from here on run.prep holds the untouched requests fixed
        run.lap("starts")
        run.fillable = fillable()
    run.lap("fillable (waiting)")
    built = build_model(run, starts)
    run.lap("model")
    fill = fill_step(run, built, starts)
    run.lap("fill")
    floor = fill_floor(run, fill.best.fill, starts.greedy_fill)
    hand = starts.plans + ([fill.plan] if fill.plan else [])
    hand += repairs(run, built, hand, floor)
    best = max(p.fill for p in hand)  # a repair may have filled more: that is the floor now
    floor = fill_floor(run, best, starts.greedy_fill)
    run.lap("repairs")
    start = best_in_hand(run, hand, floor)
    stepped = goal_steps(run, built, start, fill, floor)
    chosen = stepped[-1] if stepped else start
    run.lap("goal steps")
    run.info["best_fill_found"] = best + run.fixed_fill()
    return _result(run, prep, chosen, fill, goals_ran=bool(stepped), proven=_all_proven(run))


def _all_proven(run: Run) -> bool:
    steps = run.info.get("goal_steps", {})
    return bool(steps) and all(s == "OPTIMAL" for s in steps.values())


def _result(
    run: Run, prep: Prepared, chosen: PlanInHand, fill: FillOutcome, goals_ran: bool, proven: bool
) -> PlanResult:
    """The result of the chosen plan; `prep` is the instance as prepared before a re-plan kept any request."""
    total = chosen.fill + run.fixed_fill()
    if fill.status == "INFEASIBLE":
        status = "INFEASIBLE"
    elif not run.info.get("variables") or (fill.status in ("OPTIMAL", "SKIPPED") and proven):
        status = "OPTIMAL"  # nothing left to plan, or every goal solved to optimality
    else:
        status = "FEASIBLE"
    bounded = math.isfinite(fill.bound)
    # a re-plan's fill bound holds with its untouched requests kept as published
    kept = " (the untouched requests kept)" if run.info.get("requests_kept") else ""
    run.info.update(
        workers=run.config.workers,
        seed=run.config.seed,
        mode="reproducible" if run.config.reproducible else "fast",
        status=status,
        seconds=round(run.budget.elapsed(), 3),
        objective=total,
        bound=round(max(fill.bound, total), 3) if bounded else None,
        bound_source=fill.bound_source + kept if bounded else "none",
        gap=round((fill.bound - total) / max(1.0, fill.bound), 6) if bounded else None,
        fill_status=fill.status,
        fill_optimum=fill.best.fill + run.fixed_fill() if fill.status == "OPTIMAL" else None,
        goals_status="OPTIMAL" if proven else "FEASIBLE" if goals_ran else "NOT_RUN",
        plan_source=chosen.source,
        stopped_early=run.stopped(),
    )
    plan = run.full_plan(chosen)
    return assemble(prep, run.config, plan, run.info, run.fillable, status)
