"""The coordinator's baseline as a PlanResult: the best of the greedy orders (solver.greedy).

The orders run on the arrays of `solver.national.greedy` (the same plans as `solver.greedy`, see
tests/solver/test_array_greedy.py). At national scale each municipality's fillable demand is its simple
bound, as in the national planner: listing every eligible triple and solving the LPs would take the better
part of an hour.
"""

from __future__ import annotations

import time

from solver.assemble import assemble
from solver.checks import check_instance
from solver.config import PlanningConfig
from solver.instance import Instance
from solver.lp_bound import fillable_by_municipality
from solver.measures import weighted_fill
from solver.national.bounds import simple_bounds
from solver.national.greedy import greedy_orders
from solver.national.prepare import start_prepare
from solver.national.tables import build_tables, triples_estimate
from solver.prepared import Prepared, prepare
from solver.result import PlanResult


def greedy(instance: Instance, config: PlanningConfig | None = None) -> PlanResult:
    """Plan the way a coordinator with a spreadsheet does: the best of the greedy orders.

    The solver figures carry every order's weighted fill (`greedy_fills`) and the order that won.
    """
    config = config or PlanningConfig()
    check_instance(instance)
    started = time.monotonic()
    if triples_estimate(instance) >= config.national_triples:
        tables = build_tables(instance, config.frozen_weeks)
        prep: Prepared = start_prepare(tables)
        orders = greedy_orders(prep, tables)
        fillable = simple_bounds(tables)[1]
    else:
        prep = prepare(instance, config.frozen_weeks)
        orders = greedy_orders(prep)
        fillable = fillable_by_municipality(instance)
    plans = {order: list(prep.fixed) + new for order, new in orders.items()}
    fills = {order: weighted_fill(prep.requests, plan) for order, plan in plans.items()}
    best = max(fills, key=lambda order: fills[order])  # the first order wins a tie
    info = {
        "status": "FEASIBLE",
        "seconds": round(time.monotonic() - started, 3),
        "objective": fills[best],
        "bound": None,
        "workers": 1,
        "seed": config.seed,
        "mode": "greedy",
        "greedy_order": best,
        "greedy_fills": fills,
    }
    return assemble(prep, config, plans[best], info, fillable, "FEASIBLE")
