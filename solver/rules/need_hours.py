"""Hard rule: a need gets at most the hours asked (all-or-nothing requests are handled by their own rule)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.model import PlanModel


def add(pm: PlanModel) -> None:
    for key, xs in pm.by_need.items():
        if key[0] in pm.request_on:  # the all-or-nothing rule sets these hours exactly
            continue
        open_hours = pm.prep.open_hours(key)
        if pm.upper(xs) > open_hours:
            pm.model.add(cp_model.LinearExpr.sum(xs) <= open_hours)
