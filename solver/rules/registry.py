"""The one list of rules: the model adds the hard rules and the goals' terms, the score analysis the scores."""

from __future__ import annotations

from collections.abc import Callable

from solver.instance import Assignment
from solver.result import RuleScore
from solver.rules import (
    all_or_nothing,
    capacity,
    continuity,
    eligibility,
    fairness,
    fill,
    home_municipality,
    need_hours,
    partner_budget,
    partner_cost,
    senior_on_junior,
    stability,
    weekly_max,
)
from solver.rules.context import ScoreContext

ELIGIBILITY = eligibility  # applied once, when the instance is prepared
HARD_RULES = (capacity, weekly_max, all_or_nothing, need_hours, partner_budget)
GOALS = (fill, partner_cost, fairness, continuity, stability, home_municipality, senior_on_junior)
# in policy order; fairness scores its two terms (the worst share, the spread) apart
SCORES: tuple[Callable[[ScoreContext, list[Assignment]], RuleScore], ...] = (
    fill.score,
    partner_cost.score,
    fairness.score,
    fairness.score_spread,
    continuity.score,
    stability.score,
    home_municipality.score,
    senior_on_junior.score,
)
