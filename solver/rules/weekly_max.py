"""Hard rule: all needs of a request together get at most its maximum hours per week."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.model import PlanModel


def add(pm: PlanModel) -> None:
    for (rid, w), xs in pm.by_request_week.items():
        room = pm.prep.request_week_room(rid, w)
        if pm.upper(xs) > room:
            pm.model.add(cp_model.LinearExpr.sum(xs) <= room)
