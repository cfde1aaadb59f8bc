"""Score analysis: every goal's value and weighted contribution for a finished plan, by the goal modules."""

from __future__ import annotations

from solver.config import PlanningConfig
from solver.instance import Assignment
from solver.prepared import Prepared
from solver.result import RuleScore
from solver.rules import continuity, fairness, fill, home_municipality, partner_cost, senior_on_junior, stability
from solver.rules.context import ScoreContext


def breakdown(
    prep: Prepared, config: PlanningConfig, plan: list[Assignment], fillable: dict[str, float]
) -> tuple[RuleScore, ...]:
    """Return one line per goal, in policy order; contributions are signed so that higher is better."""
    ctx = ScoreContext(prep, config, fillable)
    return (
        fill.score(ctx, plan),
        partner_cost.score(ctx, plan),
        fairness.score(ctx, plan),
        fairness.score_spread(ctx, plan),
        continuity.score(ctx, plan),
        stability.score(ctx, plan),
        home_municipality.score(ctx, plan),
        senior_on_junior.score(ctx, plan),
    )
