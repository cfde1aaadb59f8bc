"""Input of the planning engine: a whole planning situation as frozen plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

PRIORITY_WEIGHT: dict[int, int] = {1: 1000, 2: 300, 3: 100, 4: 30}


@dataclass(frozen=True)
class Skill:
    id: str
    name: str


@dataclass(frozen=True)
class Municipality:
    id: str
    name: str
    committed_hours_per_week: int


@dataclass(frozen=True)
class Specialist:
    id: str
    name: str
    home: str | None  # municipality id; None for a partner consultant
    kind: Literal["internal", "partner"]
    pool_hours_per_week: int
    skills: tuple[tuple[str, int], ...]  # (skill id, level 1-5), sorted by skill id
    unavailable: tuple[tuple[int, int], ...] = ()  # (week, hours), one entry per week, summed
    hourly_cost: int = 0

    def level(self, skill: str) -> int:
        """Return the specialist's level in a skill, 0 if it lacks it."""
        for sid, lvl in self.skills:
            if sid == skill:
                return lvl
        return 0

    def capacity(self, week: int) -> int:
        """Return the pool hours available in a week after unavailability."""
        off = sum(h for w, h in self.unavailable if w == week)
        return max(0, self.pool_hours_per_week - off)


@dataclass(frozen=True)
class Need:
    skill: str
    min_level: int
    hours: int


#: The priorities of a request, most urgent first; every reader (database, documents, explanations) uses these.
PRIORITY_NAMES: dict[int, str] = {1: "critical", 2: "high", 3: "normal", 4: "low"}


@dataclass(frozen=True)
class Request:
    id: str
    municipality: str
    title: str
    needs: tuple[Need, ...]
    start_week: int  # inclusive
    end_week: int  # inclusive
    max_hours_per_week: int  # over all needs together
    priority: int  # 1 critical … 4 low
    allow_partner: bool
    all_or_nothing: bool

    @property
    def weight(self) -> int:
        return PRIORITY_WEIGHT[self.priority]


@dataclass(frozen=True)
class Partner:
    name: str
    budget_hours: int
    min_notice_weeks: int


@dataclass(frozen=True)
class Assignment:
    request: str
    need: int  # index into the request's needs
    specialist: str
    week: int
    hours: int
    pinned: bool = False


@dataclass(frozen=True)
class Instance:
    horizon_start: dt.date  # a Monday
    weeks: int
    skills: tuple[Skill, ...]
    municipalities: tuple[Municipality, ...]
    specialists: tuple[Specialist, ...]
    partner: Partner | None
    requests: tuple[Request, ...]
    previous_plan: tuple[Assignment, ...] = field(default=())
