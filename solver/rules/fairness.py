"""Goal 3: fairness between municipalities, on fillable demand.

A municipality's ratio is the hours it gets ÷ the hours it could get with the pool to itself (LP), so demand
that no plan can fill does not count against anybody. The goal raises the worst ratio and narrows the spread.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver import measures
from solver.instance import Assignment
from solver.model import PlanModel, Term
from solver.result import RuleScore
from solver.rules.context import ScoreContext

NAME = "fairness"


def add(pm: PlanModel) -> list[Term]:
    prep = pm.prep
    steps = pm.config.fairness_steps
    towns: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (key, _, _), v in pm.x.items():
        towns[prep.requests[key[0]].municipality].append(v)
    fixed: dict[str, int] = defaultdict(int)
    for a in prep.fixed:
        fixed[prep.requests[a.request].municipality] += a.hours
    worst = pm.model.new_int_var(0, steps, "fairness_worst")
    best = pm.model.new_int_var(0, 10 * steps, "fairness_best")
    pm.fairness_vars = (worst, best)
    for town, f in measures.fillable_hours(pm.fillable).items():
        got = cp_model.LinearExpr.sum(towns.get(town, [])) + fixed.get(town, 0)
        pm.model.add(worst * f <= steps * got)
        pm.model.add(best * f >= steps * got)
    w = pm.config.weights
    return [Term(NAME, -w.fairness, worst), Term("fairness_spread", w.fairness_spread, best - worst)]


def score(ctx: ScoreContext, plan: list[Assignment]) -> RuleScore:
    reqs, steps = ctx.prep.requests, ctx.config.fairness_steps
    rs = measures.shares(reqs, plan, ctx.fillable)
    w = ctx.config.weights.fairness
    items = tuple(sorted(((m, round(v, 4)) for m, v in rs.items()), key=lambda kv: kv[1]))
    worst = measures.worst_permille(reqs, plan, ctx.fillable, steps)  # as the model's variable has it
    return RuleScore(NAME, w, round(min(rs.values(), default=1.0), 4), w * worst, items)


def score_spread(ctx: ScoreContext, plan: list[Assignment]) -> RuleScore:
    rs = measures.shares(ctx.prep.requests, plan, ctx.fillable)
    steps = ctx.config.fairness_steps
    spread = (max(rs.values()) - min(rs.values())) if rs else 0.0
    w = ctx.config.weights.fairness_spread
    return RuleScore("fairness_spread", w, round(spread, 4), -w * int(spread * steps))
