"""A plan under construction and what its hard rules leave: the one place the heuristics ask "does it fit?".

Capacity left per specialist and week, room left under each request's weekly maximum, hours left per need
and partner budget left, all after the fixed assignments (pinned, frozen) that Prepared already took out.
Eligibility (who, which weeks) is Prepared's `eligible_weeks`; all-or-nothing is the caller's to keep, by
undoing a request it could not complete.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from solver.instance import Assignment
from solver.model import XKey
from solver.prepared import NeedKey, Prepared


@dataclass
class PlanState:
    prep: Prepared
    free: dict[tuple[str, int], int]  # (specialist, week) -> capacity left
    room: dict[tuple[str, int], int]  # (request, week) -> room left under its weekly maximum
    need_left: dict[NeedKey, int]  # hours a need still asks
    budget: int  # partner hours left
    hours: dict[XKey, int] = field(default_factory=dict)  # the plan so far (new assignments only)

    @classmethod
    def start(cls, prep: Prepared, request_ids: set[str] | None = None) -> PlanState:
        """The state after the fixed assignments, for every request or only for those of `request_ids`."""
        chosen = [r for r in prep.instance.requests if request_ids is None or r.id in request_ids]
        room = {(r.id, w): prep.request_week_room(r.id, w) for r in chosen for w in range(r.start_week, r.end_week + 1)}
        need_left = {(r.id, i): prep.open_hours((r.id, i)) for r in chosen for i in range(len(r.needs))}
        return cls(prep, dict(prep.free_capacity), room, need_left, prep.partner_budget_left)

    def is_partner(self, sid: str) -> bool:
        return self.prep.specialists[sid].kind == "partner"

    def fits(self, key: NeedKey, sid: str, week: int) -> int:
        """How many more hours the need can get from the specialist in that week (eligibility assumed)."""
        h = min(self.free[sid, week], self.room.get((key[0], week), 0), self.need_left[key])
        return max(0, min(h, self.budget) if self.is_partner(sid) else h)

    def add(self, key: NeedKey, sid: str, week: int, hours: int) -> None:
        self._move(key, sid, week, hours)

    def remove(self, key: NeedKey, sid: str, week: int, hours: int) -> None:
        self._move(key, sid, week, -hours)

    def _move(self, key: NeedKey, sid: str, week: int, hours: int) -> None:
        self.free[sid, week] -= hours
        self.room[key[0], week] -= hours
        self.need_left[key] -= hours
        if self.is_partner(sid):
            self.budget -= hours
        cell = (key, sid, week)
        self.hours[cell] = self.hours.get(cell, 0) + hours
        if self.hours[cell] == 0:
            del self.hours[cell]

    def free_in_window(self, key: NeedKey, sid: str) -> int:
        """The specialist's hours the need could still use over its eligible weeks (need hours aside)."""
        free, room, rid = self.free, self.room, key[0]
        return sum([min(free[sid, w], room.get((rid, w), 0)) for w in self.prep.eligible_weeks[key, sid]])

    def assignments(self) -> list[Assignment]:
        return [Assignment(k[0], k[1], sid, w, h) for (k, sid, w), h in self.hours.items() if h > 0]


def people_by_need(plan: list[Assignment]) -> dict[NeedKey, set[str]]:
    people: dict[NeedKey, set[str]] = defaultdict(set)
    for a in plan:
        people[a.request, a.need].add(a.specialist)
    return people
