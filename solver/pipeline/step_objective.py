"""What a goal step minimises, and the least value its goals can take (a step at that value has no search).

The goals' expressions are flattened once per solve into arrays (`Flat`): setting a step's objective and
checking whether a plan is at the least value are then array sums, not a loop over CP-SAT's variables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from solver.hints import add_hints
from solver.model import PlanModel, XKey
from solver.pipeline.context import Run


@dataclass(frozen=True)
class Flat:
    """A linear expression as arrays: each variable's index and coefficient, the offset, the domains' ends."""

    index: np.ndarray
    coeff: np.ndarray
    offset: int
    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def of(cls, expr: cp_model.LinearExpr) -> Flat:
        flat = cp_model.FlatIntExpr(expr)
        domains = [v.proto.domain for v in flat.vars]
        n = len(domains)
        return cls(
            np.fromiter((v.index for v in flat.vars), np.int64, n),
            np.array(flat.coeffs, dtype=np.int64),
            int(flat.offset),
            np.fromiter((d[0] for d in domains), np.int64, n),
            np.fromiter((d[-1] for d in domains), np.int64, n),
        )

    def least(self) -> int:
        """The least value over the variables' domains."""
        return self.offset + int(np.where(self.coeff > 0, self.coeff * self.lo, self.coeff * self.hi).sum())


def step_objective(run: Run, own: Flat, later: list[Flat]) -> Flat:
    """The step's own goals, the later goals (far lighter) breaking ties, so that a step that stops unproven
    gives none of them away for nothing. A re-plan's small model proves its steps at once on their own goals
    alone (with the ties it seldom proves them), and the steps after it see to the later goals."""
    if run.replan or not later:
        return own
    weights = [run.config.goal_dominance] + [1] * len(later)
    parts = [own, *later]
    index = np.concatenate([p.index for p in parts])
    coeff = np.concatenate([w * p.coeff for w, p in zip(weights, parts, strict=True)])
    merged, at = np.unique(index, return_inverse=True)
    summed = np.zeros(len(merged), dtype=np.int64)
    np.add.at(summed, at, coeff)
    offset = sum(w * p.offset for w, p in zip(weights, parts, strict=True))
    empty = np.zeros(0, dtype=np.int64)
    return Flat(merged, summed, offset, empty, empty)  # an objective only: its domains are not asked for


def minimize(model: cp_model.CpModel, objective: Flat) -> None:
    """Set the model's objective to minimise the flat expression, in one piece."""
    model.clear_objective()
    proto = model.model_proto.objective
    keep = objective.coeff != 0
    proto.vars.extend(objective.index[keep].tolist())
    proto.coeffs.extend(objective.coeff[keep].tolist())
    proto.offset = objective.offset
    proto.scaling_factor = 1.0


def least_if_reached(pm: PlanModel, expr: Flat, hours: dict[XKey, int]) -> int | None:
    """The least value the expression can take over its variables' domains, if the plan's hours give it that
    value (no hour moved off the previous plan, no partner hour paid, say); None otherwise."""
    add_hints(pm, hours)
    hint = pm.model.model_proto.solution_hint
    value_of = np.full(len(pm.model.model_proto.variables), -1, dtype=np.int64)
    hinted = np.zeros(len(value_of), dtype=bool)
    vars_ = np.array(hint.vars, dtype=np.int64)
    value_of[vars_] = np.array(hint.values, dtype=np.int64)
    hinted[vars_] = True
    if not hinted[expr.index].all():
        return None  # a variable the hints leave open: no value to compare
    least = expr.least()
    value = expr.offset + int((expr.coeff * value_of[expr.index]).sum())
    return least if value == least else None
