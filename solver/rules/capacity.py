"""Hard rule: a specialist works at most its weekly pool hours minus unavailability (fixed hours included)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.model import PlanModel


def add(pm: PlanModel) -> None:
    for (sid, w), xs in pm.by_person_week.items():
        free = pm.prep.free_capacity[sid, w]
        if pm.upper(xs) > free:
            pm.model.add(cp_model.LinearExpr.sum(xs) <= free)
