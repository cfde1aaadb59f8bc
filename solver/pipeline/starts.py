"""Stage 1, the start plans: every coordinator order's greedy plan, and the LP's plans where the LP is solved.

The LP relaxation also bounds the fill: a start plan that reaches its bound proves the fill optimal, so the
fill step need not run at all. The LP is the weekly one where it is predicted to finish within its share of
the time, else one column per need × specialist pair (`solver.lp_bound.lp_block`); the greedy orders run on
arrays (`solver.national.greedy`, the same plans as `solver.greedy`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from solver.lp_bound import LpResult, lp_block, solve_fill_lp
from solver.lp_round import lp_rounded
from solver.national.greedy import greedy_orders, national_greedy
from solver.national.tables import Tables, build_tables
from solver.pipeline.context import Run
from solver.plans import PlanInHand


@dataclass(frozen=True)
class Starts:
    plans: list[PlanInHand]  # the greedy orders, then the LP's plans
    greedy_fill: int  # the best greedy order's fill: no plan returned fills less
    lp: LpResult  # value inf when the LP was not solved (a re-plan, or out of time)
    tables: Tables  # the instance's arrays, for ranking people


def start_plans(run: Run) -> Starts:
    prep = run.prep
    tables = build_tables(prep.instance, prep.frozen_weeks)
    plans = [PlanInHand.of(prep, plan, f"greedy {order}") for order, plan in greedy_orders(prep, tables).items()]
    greedy_fill = max(p.fill for p in plans)
    # a re-plan keeps the published plan rather than searching for more fill: it needs neither the LP's
    # guidance nor its bound; and with the time limit spent already, the greedy plans are what there is
    lp = LpResult(value=math.inf)
    if not run.replan and not run.stopped() and run.budget.elapsed() < run.budget.limit:
        lp = _fill_lp(run)
    if lp.cells:
        plans.append(PlanInHand.of(prep, lp_rounded(prep, lp), "lp-rounded"))
    if lp.support:
        # the LP's people are asked first, and among them the order's own way (the most free hours): ranked
        # by their LP hours instead, needs were split more (M2500 1.74 specialists per need against 1.72)
        # and filled less
        guided = national_greedy(tables, prep, prefer=dict.fromkeys(lp.support, 1.0))
        plans.append(PlanInHand.of(prep, guided, "lp-guided"))
    greedy = [p for p in plans if p.source.startswith("greedy ")]
    run.info["greedy_fills"] = {p.source.removeprefix("greedy "): p.fill + run.fixed_fill() for p in greedy}
    run.info["greedy_fill"] = greedy_fill + run.fixed_fill()
    run.info["lp_bound"] = round(lp.value, 3) if math.isfinite(lp.value) else None
    run.info["start_fills"] = {p.source: p.fill + run.fixed_fill() for p in plans}
    return Starts(plans, greedy_fill, lp, tables)


def _fill_lp(run: Run) -> LpResult:
    """The fill LP, weekly where it is predicted to be quick enough, else by pair; by pair too when the weekly
    one ran out of its time after all (a slower machine than the prediction's)."""
    prep, budget, rounds = run.prep, run.budget, run.config.lp_dive_rounds
    block = lp_block(prep, run.config.lp_time_share * budget.limit)
    lp = solve_fill_lp(prep, block=block, time_limit=budget.lp_seconds(), dive_rounds=rounds)
    by_pair = max(1, prep.instance.weeks)
    if math.isinf(lp.value) and block < by_pair and not run.stopped() and budget.left() > 0:
        lp = solve_fill_lp(prep, block=by_pair, time_limit=budget.lp_seconds(), dive_rounds=rounds)
    return lp
