"""Goal 6b: no senior wasted on junior work (hours × levels above the minimum beyond a margin)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.instance import Assignment
from solver.model import PlanModel, Term
from solver.prepared import NeedKey, Prepared
from solver.result import RuleScore
from solver.rules.context import ScoreContext

NAME = "senior_on_junior"


def excess(prep: Prepared, key: NeedKey, sid: str, margin: int) -> int:
    need = prep.need(key)
    return max(0, prep.specialists[sid].level(need.skill) - need.min_level - margin)


def add(pm: PlanModel) -> Term | None:
    margin = pm.config.senior_margin
    pairs = [(v, excess(pm.prep, key, sid, margin)) for (key, sid, _), v in pm.x.items()]
    pairs = [(v, e) for v, e in pairs if e > 0]
    if not pairs:
        return None
    expr = cp_model.LinearExpr.weighted_sum([v for v, _ in pairs], [e for _, e in pairs])
    return Term(NAME, pm.config.weights.senior_on_junior, expr)


def score(ctx: ScoreContext, plan: list[Assignment]) -> RuleScore:
    by_person: dict[str, float] = defaultdict(float)
    for a in plan:
        e = excess(ctx.prep, (a.request, a.need), a.specialist, ctx.config.senior_margin)
        if e:
            by_person[a.specialist] += a.hours * e
    value = sum(by_person.values())
    w = ctx.config.weights.senior_on_junior
    return RuleScore(NAME, w, value, -w * value, tuple(sorted(by_person.items(), key=lambda kv: -kv[1])[:20]))
