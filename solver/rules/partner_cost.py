"""Goal 2: spend little on the knowledge partner (hours × its hourly cost)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.instance import Assignment
from solver.model import PlanModel, Term
from solver.result import RuleScore
from solver.rules.context import ScoreContext

NAME = "partner_cost"


def add(pm: PlanModel) -> Term | None:
    people = pm.prep.specialists
    pairs = [(v, people[sid].hourly_cost) for (_, sid, _), v in pm.x.items() if people[sid].kind == "partner"]
    if not pairs:
        return None
    expr = cp_model.LinearExpr.weighted_sum([v for v, _ in pairs], [c for _, c in pairs])
    return Term(NAME, pm.config.weights.partner_cost, expr)


def score(ctx: ScoreContext, plan: list[Assignment]) -> RuleScore:
    by_request: dict[str, float] = defaultdict(float)
    for a in plan:
        s = ctx.prep.specialists[a.specialist]
        if s.kind == "partner":
            by_request[a.request] += a.hours * s.hourly_cost
    value = sum(by_request.values())
    w = ctx.config.weights.partner_cost
    return RuleScore(NAME, w, value, -w * value, tuple(sorted(by_request.items(), key=lambda kv: -kv[1])))
