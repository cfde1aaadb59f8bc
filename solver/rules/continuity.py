"""Goal 4: continuity: few specialists per need, so the same person carries it across the weeks."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.instance import Assignment
from solver.model import PlanModel, Term
from solver.result import RuleScore
from solver.rules.context import ScoreContext

NAME = "continuity"


def add(pm: PlanModel) -> Term:
    used = []
    for (key, sid), xs in pm.by_pair.items():
        y = pm.model.new_bool_var("")
        pm.model.add(cp_model.LinearExpr.sum(xs) <= min(pm.prep.open_hours(key), pm.upper(xs)) * y)
        used.append(y)
        pm.used_pairs.append((y, (key, sid)))
    return Term(NAME, pm.config.weights.continuity, cp_model.LinearExpr.sum(used))


def score(ctx: ScoreContext, plan: list[Assignment]) -> RuleScore:
    people: dict[tuple[str, int], set[str]] = defaultdict(set)
    for a in plan:
        people[a.request, a.need].add(a.specialist)
    value = sum(len(p) for p in people.values())
    w = ctx.config.weights.continuity
    items = tuple(
        sorted(((f"{r}/{n}", float(len(p))) for (r, n), p in people.items() if len(p) > 1), key=lambda kv: -kv[1])
    )
    return RuleScore(NAME, w, value, -w * value, items)
