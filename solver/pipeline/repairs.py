"""Stage 3, repairs: cheap local moves on the best plan at the fill floor, a better start for the goal steps.

Polish puts each need on fewer (internal) people with its hours kept; the fairness repair trades hours of
equal weight towards the worst-served municipality; the insertion serves that municipality's all-or-nothing
requests. A repaired plan below the fill floor is dropped: the goals after fill never cost fill.
"""

from __future__ import annotations

from solver.fair_insert import fair_insert
from solver.fair_repair import fair_repair
from solver.pipeline.build import Built
from solver.pipeline.choice import best_in_hand
from solver.pipeline.context import Run
from solver.plans import PlanInHand
from solver.polish import polish


def repairs(run: Run, built: Built, hand: list[PlanInHand], floor: int) -> list[PlanInHand]:
    """The repaired versions of the best plan in hand (those at the floor or above)."""
    # they cost little next to a search, so they run even when no time is left for the goal steps: the plan
    # returned is then still a tidy one
    # nor on a re-plan: they move hours for fairness and continuity, goals that come after stability there
    if run.stopped() or not built.pm.x or run.replan:
        return []
    prep = run.prep
    start = best_in_hand(run, hand, floor)
    allowed = set(built.pm.x)
    tidied = polish(prep, start.hours, built.candidates, run.config.weights)
    tidy = PlanInHand(tidied, start.fill, start.source + "+polish")
    fair = fair_repair(prep, tidy.hours, run.fillable, allowed, seconds=run.budget.repair_seconds())
    repaired = PlanInHand(fair, tidy.fill, tidy.source + "+fair")
    inserted = PlanInHand.from_hours(prep, fair_insert(prep, fair, run.fillable, allowed), repaired.source + "+aon")
    return [p for p in (tidy, repaired, inserted) if p.fill >= floor]
