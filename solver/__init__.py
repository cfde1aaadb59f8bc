"""The planning engine: frozen dataclasses in, a PlanResult out. No web, no database."""

from __future__ import annotations

from solver.baseline import greedy
from solver.config import PlanningConfig, Weights
from solver.document import plan_document
from solver.explain import explain_assignment
from solver.lp_bound import fillable_by_municipality, lp_bound
from solver.parallel import solve  # part by part; solver.planner.solve plans one part
from solver.result import PlanResult, Progress, RuleScore, UnmetNeed
from solver.validate import compute_kpis, validate

__all__ = [
    "PlanResult",
    "PlanningConfig",
    "Progress",
    "RuleScore",
    "UnmetNeed",
    "Weights",
    "compute_kpis",
    "explain_assignment",
    "fillable_by_municipality",
    "greedy",
    "lp_bound",
    "plan_document",
    "solve",
    "validate",
]
