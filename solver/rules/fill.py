"""Goal 1: fill demand, weighted by the request's priority per hour (1000/300/100/30)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.instance import Assignment
from solver.model import PlanModel, Term
from solver.result import RuleScore
from solver.rules.context import ScoreContext

NAME = "fill"


def add(pm: PlanModel) -> Term:
    reqs = pm.prep.requests
    keys = list(pm.x)
    expr = cp_model.LinearExpr.weighted_sum([pm.x[k] for k in keys], [reqs[k[0][0]].weight for k in keys])
    pm.fill_expr = expr
    return Term(NAME, -pm.config.weights.fill, expr)


def fixed_fill(pm: PlanModel) -> int:
    return sum(a.hours * pm.prep.requests[a.request].weight for a in pm.prep.fixed)


def score(ctx: ScoreContext, plan: list[Assignment]) -> RuleScore:
    by_town: dict[str, float] = defaultdict(float)
    for a in plan:
        r = ctx.prep.requests[a.request]
        by_town[r.municipality] += a.hours * r.weight
    value = sum(by_town.values())
    w = ctx.config.weights.fill
    items = tuple(sorted(by_town.items(), key=lambda kv: -kv[1]))
    return RuleScore(NAME, w, value, w * value, items)
