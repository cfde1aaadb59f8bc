"""Progress reports carry the best plan's hours per priority, consistent with its weighted fill."""

from __future__ import annotations

import json

import solver
from pool.translate import instance_from_document
from solver.instance import PRIORITY_WEIGHT
from tests.conftest import SAMPLE


def test_progress_reports_hours_by_priority_that_weigh_up_to_the_reported_fill() -> None:
    reports: list[solver.Progress] = []
    config = solver.PlanningConfig(time_limit=3, reproducible=True, workers=1)
    result = solver.solve(instance_from_document(json.loads(SAMPLE.read_text("utf-8"))), config,
                          on_progress=reports.append)
    with_hours = [p for p in reports if p.filled_by_priority and p.step != "part"]
    assert with_hours, [p.step for p in reports]
    for p in with_hours:
        by_priority: dict[int, int] = p.filled_by_priority or {}
        assert sum(PRIORITY_WEIGHT[prio] * hours for prio, hours in by_priority.items()) == p.weighted_fill
    assert sum((with_hours[-1].filled_by_priority or {}).values()) <= result.kpis["filled_hours"]
