"""What a goal step minimises, and the least value its goals can take (a step at that value has no search)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.hints import add_hints
from solver.model import PlanModel, XKey
from solver.pipeline.context import Run


def step_objective(run: Run, own: cp_model.LinearExprT, later: list[cp_model.LinearExprT]) -> cp_model.LinearExprT:
    """The step's own goals, the later goals (far lighter) breaking ties, so that a step that stops unproven
    gives none of them away for nothing. A re-plan's small model proves its steps at once on their own goals
    alone (with the ties it seldom proves them), and the steps after it see to the later goals."""
    if run.replan:
        return own
    return cp_model.LinearExpr.weighted_sum([own, *later], [run.config.goal_dominance] + [1] * len(later))


def least_if_reached(pm: PlanModel, expr: cp_model.LinearExpr, hours: dict[XKey, int]) -> int | None:
    """The least value the expression can take over its variables' domains, if the plan's hours give it that
    value (no hour moved off the previous plan, no partner hour paid, say); None otherwise."""
    add_hints(pm, hours)
    hint = pm.model.model_proto.solution_hint
    value_of = dict(zip(hint.vars, hint.values, strict=True))
    flat = cp_model.FlatIntExpr(expr)
    least = value = flat.offset
    for var, coeff in zip(flat.vars, flat.coeffs, strict=True):
        if var.index not in value_of:
            return None  # a variable the hints leave open: no value to compare
        domain = var.proto.domain
        least += coeff * (domain[0] if coeff > 0 else domain[-1])
        value += coeff * value_of[var.index]
    return int(least) if value == least else None
