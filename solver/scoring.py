"""Score analysis: every goal's value and weighted contribution for a finished plan, by the goal modules."""

from __future__ import annotations

from solver.config import PlanningConfig
from solver.instance import Assignment
from solver.prepared import Prepared
from solver.result import RuleScore
from solver.rules.context import ScoreContext
from solver.rules.registry import SCORES


def breakdown(
    prep: Prepared, config: PlanningConfig, plan: list[Assignment], fillable: dict[str, float]
) -> tuple[RuleScore, ...]:
    """Return one line per goal, in policy order; contributions are signed so that higher is better."""
    ctx = ScoreContext(prep, config, fillable)
    return tuple(score(ctx, plan) for score in SCORES)
