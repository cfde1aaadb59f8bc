"""A result for a plan made elsewhere (by hand, or edited): KPIs, unmet needs with reasons, score per rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from solver.assemble import assemble
from solver.config import PlanningConfig
from solver.instance import Assignment, Instance
from solver.lp_bound import fillable_by_municipality
from solver.prepared import prepare
from solver.result import PlanResult


def evaluate(
    instance: Instance,
    assignments: Iterable[Assignment],
    config: PlanningConfig | None = None,
    fillable: Mapping[str, float] | None = None,
) -> PlanResult:
    """Score a given plan as the planner scores its own; `fillable` (from an earlier result) saves the LPs."""
    config = config or PlanningConfig()
    prep = prepare(instance, config.frozen_weeks)
    fill = dict(fillable) if fillable is not None else fillable_by_municipality(instance)
    return assemble(prep, config, list(assignments), {"source": "evaluated"}, fill, "EVALUATED")
