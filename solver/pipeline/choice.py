"""The order plans are compared in: fill at least the floor, then each goal step's goals, in policy order."""

from __future__ import annotations

import math

from solver.pipeline.context import Run
from solver.plans import PlanInHand
from solver.scoring import breakdown


def fill_floor(run: Run, best_fill: int, greedy_fill: int) -> int:
    """The least fill a plan may have: the best found, less the configured tolerance, never below greedy's."""
    return max(greedy_fill, math.ceil((1 - run.config.fill_tolerance) * best_fill - 1e-9))


def goal_key(run: Run, plan: PlanInHand) -> tuple[float, ...]:
    """The plan's signed score per goal step, in step order (higher is better), then its fill.

    Scored once per plan and run: the repairs and the choice compare the same plans again.
    """
    cached = run.goal_keys.get(id(plan))
    if cached is not None and cached[0] is plan:
        return cached[1]
    scores = {rs.rule: rs.contribution for rs in breakdown(run.prep, run.config, run.full_plan(plan), run.fillable)}
    key = (*(sum(scores.get(name, 0.0) for name in group) for group in run.goal_order), float(plan.fill))
    run.goal_keys[id(plan)] = (plan, key)
    return key


def best_in_hand(run: Run, hand: list[PlanInHand], floor: int) -> PlanInHand:
    """The plan that fills at least the floor and is best goal by goal (the later of equals)."""
    fits = [p for p in hand if p.fill >= floor] or [max(hand, key=lambda p: p.fill)]
    keyed = [(goal_key(run, p), i, p) for i, p in enumerate(fits)]
    run.info["plans_in_hand"] = {p.source: {"fill": p.fill + run.fixed_fill(), "key": k} for k, _, p in keyed}
    return max(keyed, key=lambda t: (t[0], t[1]))[2]
