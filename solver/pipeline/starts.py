"""Stage 1, the start plans: every coordinator order's greedy plan, and the LP's plans where the LP is solved.

The LP relaxation also bounds the fill: a start plan that reaches its bound proves the fill optimal, so the
fill step need not run at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from solver.greedy import greedy_assignments, greedy_orders
from solver.lp_bound import LpResult, solve_fill_lp, week_block
from solver.lp_round import lp_rounded
from solver.pipeline.context import Run
from solver.plans import PlanInHand


@dataclass(frozen=True)
class Starts:
    plans: list[PlanInHand]  # the greedy orders, then the LP's plans
    greedy_fill: int  # the best greedy order's fill: no plan returned fills less
    lp: LpResult  # value inf when the LP was not solved (a re-plan, or out of time)


def start_plans(run: Run) -> Starts:
    prep = run.prep
    plans = [PlanInHand.of(prep, plan, f"greedy {order}") for order, plan in greedy_orders(prep).items()]
    greedy_fill = max(p.fill for p in plans)
    # a re-plan keeps the published plan rather than searching for more fill: it needs neither the LP's
    # guidance nor its bound; and with the time limit spent already, the greedy plans are what there is
    lp = LpResult(value=math.inf)
    if not run.replan and not run.stopped() and run.budget.elapsed() < run.budget.limit:
        lp = solve_fill_lp(
            prep, block=week_block(prep), time_limit=run.budget.lp_seconds(), dive_rounds=run.config.lp_dive_rounds
        )
    if math.isfinite(lp.value):
        plans.append(PlanInHand.of(prep, lp_rounded(prep, lp), "lp-rounded"))
    if lp.support:
        plans.append(PlanInHand.of(prep, greedy_assignments(prep, prefer=lp.support), "lp-guided"))
    greedy = [p for p in plans if p.source.startswith("greedy ")]
    run.info["greedy_fills"] = {p.source.removeprefix("greedy "): p.fill + run.fixed_fill() for p in greedy}
    run.info["greedy_fill"] = greedy_fill + run.fixed_fill()
    run.info["lp_bound"] = round(lp.value, 3) if math.isfinite(lp.value) else None
    run.info["start_fills"] = {p.source: p.fill + run.fixed_fill() for p in plans}
    return Starts(plans, greedy_fill, lp)
