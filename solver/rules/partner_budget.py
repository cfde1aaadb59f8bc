"""Hard rule: the partner's hours stay within its budget (window, notice and permission are eligibility)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.model import PlanModel


def add(pm: PlanModel) -> None:
    xs = [v for (_, sid, _), v in pm.x.items() if pm.prep.specialists[sid].kind == "partner"]
    if xs and pm.upper(xs) > pm.prep.partner_budget_left:
        pm.model.add(cp_model.LinearExpr.sum(xs) <= pm.prep.partner_budget_left)
