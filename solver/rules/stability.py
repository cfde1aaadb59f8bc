"""Goal 5: stability: change little of the previous plan outside the frozen weeks (hours moved)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.instance import Assignment
from solver.model import PlanModel, Term
from solver.prepared import is_fixed
from solver.result import RuleScore
from solver.rules.context import ScoreContext

NAME = "stability"


def _previous(ctx_prep_instance_plan: tuple[Assignment, ...], frozen: int) -> dict[tuple, int]:
    return {
        ((a.request, a.need), a.specialist, a.week): a.hours for a in ctx_prep_instance_plan if not is_fixed(a, frozen)
    }


def add(pm: PlanModel) -> Term | None:
    prev = _previous(pm.prep.instance.previous_plan, pm.prep.frozen_weeks)
    if not pm.prep.instance.previous_plan:
        return None
    parts: list[cp_model.LinearExprT] = []
    for k, v in pm.x.items():
        p = prev.get(k)
        if p is None:
            parts.append(v)
            continue
        d = pm.model.new_int_var(0, max(p, pm.ub[v.index]), "")
        pm.model.add(d >= v - p)
        pm.model.add(d >= p - v)
        pm.deviation[k] = d
        parts.append(d)
    return Term(NAME, pm.config.weights.stability, cp_model.LinearExpr.sum(parts))


def score(ctx: ScoreContext, plan: list[Assignment]) -> RuleScore:
    prev = _previous(ctx.prep.instance.previous_plan, ctx.prep.frozen_weeks)
    now = {((a.request, a.need), a.specialist, a.week): a.hours for a in plan if not is_fixed(a, ctx.prep.frozen_weeks)}
    by_request: dict[str, float] = defaultdict(float)
    for k in prev.keys() | now.keys():
        moved = abs(now.get(k, 0) - prev.get(k, 0))
        if moved:
            by_request[k[0][0]] += moved
    value = sum(by_request.values()) if ctx.prep.instance.previous_plan else 0.0
    w = ctx.config.weights.stability
    return RuleScore(NAME, w, value, -w * value, tuple(sorted(by_request.items(), key=lambda kv: -kv[1])))
