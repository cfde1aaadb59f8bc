"""A plan in hand: the hours of its new assignments, its weighted fill and where it came from."""

from __future__ import annotations

from dataclasses import dataclass

from solver.instance import Assignment
from solver.measures import weighted_fill
from solver.model import XKey
from solver.prepared import Prepared


@dataclass(frozen=True)
class PlanInHand:
    """The planner's plans are compared by these; the fixed assignments (pinned, frozen) are left out of both."""

    hours: dict[XKey, int]  # hours per need × specialist × week
    fill: int  # priority-weighted hours
    source: str  # where it came from: "greedy same-person", "lp-rounded", "fill", "goal fairness", …

    @classmethod
    def of(cls, prep: Prepared, plan: list[Assignment], source: str) -> PlanInHand:
        return cls({xkey(a): a.hours for a in plan}, weighted_fill(prep.requests, plan), source)

    @classmethod
    def from_hours(cls, prep: Prepared, hours: dict[XKey, int], source: str) -> PlanInHand:
        return cls(hours, weighted_fill(prep.requests, assignments(hours)), source)

    def assignments(self) -> list[Assignment]:
        return assignments(self.hours)


def assignments(hours: dict[XKey, int]) -> list[Assignment]:
    """The plan's hours as assignments, in a stable order."""
    return [Assignment(key[0], key[1], sid, w, h) for (key, sid, w), h in sorted(hours.items()) if h > 0]


def xkey(a: Assignment) -> XKey:
    """The model's key of an assignment: (need, specialist, week)."""
    return ((a.request, a.need), a.specialist, a.week)
