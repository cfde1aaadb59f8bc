"""One module per rule of the planning policy: hard rules add constraints, goals add a weighted term.

Each goal module also scores any finished plan on its own, for the per-rule breakdown of the objective.
"""

from __future__ import annotations

from solver.rules import (
    all_or_nothing,
    capacity,
    continuity,
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

HARD_RULES = (capacity, weekly_max, all_or_nothing, need_hours, partner_budget)
GOALS = (fill, partner_cost, fairness, continuity, stability, home_municipality, senior_on_junior)
