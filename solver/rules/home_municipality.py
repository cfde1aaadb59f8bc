"""Goal 6a: prefer a municipality's own specialists for its requests (hours worked away from home)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.instance import Assignment
from solver.model import PlanModel, Term
from solver.result import RuleScore
from solver.rules.context import ScoreContext

NAME = "home_municipality"


def _away(home: str | None, town: str) -> bool:
    return home is not None and home != town


def add(pm: PlanModel) -> Term | None:
    people, reqs = pm.prep.specialists, pm.prep.requests
    xs = [v for (key, sid, _), v in pm.x.items() if _away(people[sid].home, reqs[key[0]].municipality)]
    return Term(NAME, pm.config.weights.home_municipality, cp_model.LinearExpr.sum(xs)) if xs else None


def score(ctx: ScoreContext, plan: list[Assignment]) -> RuleScore:
    by_person: dict[str, float] = defaultdict(float)
    for a in plan:
        if _away(ctx.prep.specialists[a.specialist].home, ctx.prep.requests[a.request].municipality):
            by_person[a.specialist] += a.hours
    value = sum(by_person.values())
    w = ctx.config.weights.home_municipality
    return RuleScore(NAME, w, value, -w * value, tuple(sorted(by_person.items(), key=lambda kv: -kv[1])[:20]))
