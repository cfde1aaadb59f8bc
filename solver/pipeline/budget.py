"""One owner for the time limit: every stage asks it for its share, none computes one of its own."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from solver.config import PlanningConfig
from solver.search import Stall


@dataclass
class TimeBudget:
    """The time limit of one solve and its shares.

    In the fast mode the shares are wall-clock seconds, taken from what is left. In the reproducible mode
    they are CP-SAT's deterministic units, fixed shares of the limit, so the plan never depends on how long
    the set-up took on this machine (and the LP gets no wall-clock limit at all).
    """

    config: PlanningConfig
    started: float = field(default_factory=time.monotonic)

    @property
    def limit(self) -> float:
        return self.config.time_limit

    @property
    def reproducible(self) -> bool:
        return self.config.reproducible

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def reserve(self) -> float:
        """Seconds kept back for the work after the last search: reasons, KPIs, the score analysis."""
        return max(0.5, self.config.reserve_share * self.limit)

    def left(self) -> float:
        """Wall-clock seconds left for searching."""
        return max(0.0, self.limit - self.elapsed() - self.reserve())

    def expired(self) -> bool:
        return not self.reproducible and self.left() <= 0.05

    def lp_seconds(self) -> float | None:
        """The LP's wall-clock limit (none in the reproducible mode)."""
        return None if self.reproducible else self.config.lp_time_share * self.limit

    def repair_seconds(self) -> float:
        return float("inf") if self.reproducible else min(self.left(), self.config.repair_share * self.limit)

    def fill_seconds(self) -> float:
        share = self.config.fill_time_share * self.limit
        return share if self.reproducible else min(self.left(), share)

    def goal_step_seconds(self, steps_left: int) -> float:
        """An equal part of what is left for each goal step still to run (time a step saves goes to the next)."""
        if self.reproducible:
            return (1 - self.config.fill_time_share) * self.limit / max(1, len(self.config.goal_steps))
        return self.left() / max(1, steps_left)

    def stall_seconds(self) -> float:
        """A search that found nothing better for this long stops."""
        return max(self.config.stall_min_seconds, self.config.stall_share * self.limit)

    def fill_stall(self) -> Stall | None:
        """When the fill step stops before its share is spent: its fill stopped improving (fewer pairs at the
        same fill do not keep it going); never in the reproducible mode."""
        return None if self.reproducible else Stall(self.stall_seconds(), on_fill=True)

    def goal_stall(self) -> Stall | None:
        """When a goal step stops before its share is spent: it found nothing better for a while, or its
        objective only creeps on (never in the reproducible mode)."""
        c = self.config
        window = min(c.goal_stall_window, c.stall_share * self.limit)  # never more than a small part of the limit
        return None if self.reproducible else Stall(self.stall_seconds(), window, c.goal_stall_share)
