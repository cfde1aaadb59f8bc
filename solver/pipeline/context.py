"""What every stage of one solve shares: the prepared instance, the configuration, the clock and the figures."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from solver.config import PlanningConfig
from solver.instance import Assignment
from solver.pipeline.budget import TimeBudget
from solver.plans import PlanInHand
from solver.prepared import Prepared
from solver.result import Progress


@dataclass
class Run:
    prep: Prepared
    config: PlanningConfig
    budget: TimeBudget
    fillable: dict[str, float]
    on_progress: Callable[[Progress], None] | None = None
    stop: threading.Event | None = None
    info: dict[str, Any] = field(default_factory=dict)  # the solver figures of the result
    goal_keys: dict[int, tuple[PlanInHand, tuple[float, ...]]] = field(default_factory=dict)  # by id of the plan

    @property
    def replan(self) -> bool:
        """A re-plan keeps a published plan rather than searching for more fill."""
        frozen = self.config.frozen_weeks
        return any(a.week >= frozen and not a.pinned for a in self.prep.instance.previous_plan)

    @property
    def goal_order(self) -> tuple[tuple[str, ...], ...]:
        """The goals after fill, one step per group, in the policy's order: on a re-plan stability comes first."""
        return self.config.replan_goal_steps if self.replan else self.config.goal_steps

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def fixed_fill(self) -> int:
        """Weighted fill of the fixed assignments (pinned, frozen), which every plan has."""
        return sum(a.hours * self.prep.requests[a.request].weight for a in self.prep.fixed)

    def full_plan(self, plan: PlanInHand) -> list[Assignment]:
        """The plan's assignments with the fixed ones."""
        return list(self.prep.fixed) + plan.assignments()

    def lap(self, stage: str) -> None:
        """Record how many seconds the stage just finished took (solver figure `stage_seconds`)."""
        laps = self.info.setdefault("stage_seconds", {})
        laps[stage] = round(max(0.0, self.budget.elapsed() - sum(laps.values())), 3)
