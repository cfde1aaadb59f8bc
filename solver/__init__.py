"""The planning engine: frozen dataclasses in, a PlanResult out. No web, no database."""

from __future__ import annotations

from solver.baseline import greedy
from solver.config import PlanningConfig, Weights
from solver.document import plan_document
from solver.evaluate import evaluate
from solver.explain import explain_assignment
from solver.lp_bound import fillable_by_municipality, lp_bound
from solver.parallel import solve  # part by part; solver.planner.solve plans one part
from solver.result import PlanResult, Progress, RuleScore, UnmetNeed
from solver.validate import Violation, compute_kpis, validate, violations

__all__ = [
    "PlanResult",
    "PlanningConfig",
    "Progress",
    "RuleScore",
    "UnmetNeed",
    "Violation",
    "Weights",
    "compute_kpis",
    "evaluate",
    "explain_assignment",
    "fillable_by_municipality",
    "greedy",
    "lp_bound",
    "plan_document",
    "solve",
    "validate",
    "violations",
]
