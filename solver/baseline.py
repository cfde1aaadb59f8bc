"""The coordinator's baseline as a PlanResult: the best of the greedy orders (solver.greedy)."""

from __future__ import annotations

import time

from solver.assemble import assemble
from solver.checks import check_instance
from solver.config import PlanningConfig
from solver.greedy import greedy_orders
from solver.instance import Instance
from solver.lp_bound import fillable_by_municipality
from solver.measures import weighted_fill
from solver.prepared import prepare
from solver.result import PlanResult


def greedy(instance: Instance, config: PlanningConfig | None = None) -> PlanResult:
    """Plan the way a coordinator with a spreadsheet does: the best of the greedy orders.

    The solver figures carry every order's weighted fill (`greedy_fills`) and the order that won.
    """
    config = config or PlanningConfig()
    check_instance(instance)
    started = time.monotonic()
    prep = prepare(instance, config.frozen_weeks)
    plans = {order: list(prep.fixed) + new for order, new in greedy_orders(prep).items()}
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
    return assemble(prep, config, plans[best], info, fillable_by_municipality(instance), "FEASIBLE")
