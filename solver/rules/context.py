"""What a goal needs to score a finished plan."""

from __future__ import annotations

from dataclasses import dataclass

from solver.config import PlanningConfig
from solver.prepared import Prepared


@dataclass(frozen=True)
class ScoreContext:
    prep: Prepared
    config: PlanningConfig
    fillable: dict[str, float]
