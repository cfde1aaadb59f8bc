"""The pool-plan/1 document of a result (FORMATS.md)."""

from __future__ import annotations

from typing import Any

from solver.result import PlanResult


def plan_document(result: PlanResult) -> dict[str, Any]:
    """Return the result as a pool-plan/1 JSON document."""
    assignments = []
    for a in result.assignments:
        entry: dict[str, Any] = {
            "request": a.request,
            "need": a.need,
            "specialist": a.specialist,
            "week": a.week,
            "hours": a.hours,
        }
        if a.pinned:
            entry["pinned"] = True
        assignments.append(entry)
    unmet = [
        {"request": u.request, "need": u.need, "hours": u.hours, "reason": u.reason, "detail": u.detail}
        for u in result.unmet
    ]
    kpis: dict[str, Any] = dict(result.kpis)
    kpis["objective_breakdown"] = {
        b.rule: {"weight": b.weight, "value": b.value, "contribution": b.contribution} for b in result.breakdown
    }
    solver = {k: v for k, v in result.solver.items() if v is not None or k == "bound"}
    solver["status"] = result.status
    solver["frozen_weeks"] = result.frozen_weeks  # so that `pool explain` can tell frozen hours apart
    return {"format": "pool-plan/1", "assignments": assignments, "unmet": unmet, "kpis": kpis, "solver": solver}
