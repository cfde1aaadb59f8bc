"""Raise the worst municipality's fill ratio by trading hours between requests of equal weight.

An hour a specialist works in a week for another municipality's request moves to an unfilled need of the
worst-served municipality when both requests have the same weight (priority), so weighted fill, capacity,
the weekly maximum and the partner budget stay as they are. All-or-nothing requests are left alone.
"""

from __future__ import annotations

import time
from collections import defaultdict

from solver.measures import fillable_hours, town_hours
from solver.model import XKey
from solver.prepared import Prepared


def fair_repair(
    prep: Prepared,
    hours: dict[XKey, int],
    fillable: dict[str, float],
    allowed: set[XKey],
    max_moves: int = 2000,
    seconds: float = 1.0,
) -> dict[XKey, int]:
    """Return a copy of the plan with hours moved towards the worst-served municipality where possible."""
    towns = fillable_hours(fillable)
    if len(towns) < 2:
        return dict(hours)
    repair = _Repair(prep, dict(hours), towns)
    # the unfilled-need slots per municipality: (need, specialist, week) allowed in the model
    for k in sorted(allowed):
        r = prep.requests[k[0][0]]
        if not r.all_or_nothing and r.municipality in towns:
            repair.slots[r.municipality].append(k)
    moves = 0
    deadline = time.monotonic() + seconds
    while moves < max_moves and time.monotonic() < deadline and repair.move():
        moves += 1  # until the minimum cannot rise any further this way
    return repair.plan


class _Repair:
    def __init__(self, prep: Prepared, plan: dict[XKey, int], towns: dict[str, int]) -> None:
        self.prep, self.plan, self.towns = prep, plan, towns
        reqs = prep.requests
        self.got = town_hours(reqs, prep.fixed)
        self.need_got: dict[tuple[str, int], int] = defaultdict(int)
        self.request_week: dict[tuple[str, int], int] = defaultdict(int)
        self.at: dict[tuple[str, int], set[XKey]] = defaultdict(set)  # the plan's cells per specialist × week
        self.slots: dict[str, list[XKey]] = defaultdict(list)
        for k, h in plan.items():
            key, sid, w = k
            self.got[reqs[key[0]].municipality] += h
            self.need_got[key] += h
            self.request_week[key[0], w] += h
            self.at[sid, w].add(k)

    def move(self) -> bool:
        """Move hours of one equal-weight donor cell to the worst-served municipality; whether one moved."""
        towns, got = self.towns, self.got
        worst = min(towns, key=lambda m: (got[m] / towns[m], m))
        for k in self.slots[worst]:
            key, sid, w = k
            room = min(
                self.prep.open_hours(key) - self.need_got[key],
                self.prep.request_week_room(key[0], w) - self.request_week[key[0], w],
            )
            if room > 0 and self._take_from_donor(k, worst, room):
                return True
        return False

    def _take_from_donor(self, k: XKey, worst: str, room: int) -> bool:
        reqs, towns, got = self.prep.requests, self.towns, self.got
        key, sid, w = k
        ratio = got[worst] / towns[worst]
        for d in sorted(self.at[sid, w]):
            dr = reqs[d[0][0]]
            town = dr.municipality
            if dr.weight != reqs[key[0]].weight or dr.all_or_nothing or town == worst or town not in towns:
                continue
            # the donor must stay above the receiver after the move
            h = min(room, self.plan[d])
            while h > 0 and (got[town] - h) / towns[town] < ratio + h / towns[worst]:
                h //= 2
            if h > 0:
                self._shift(d, k, h)
                return True
        return False

    def _shift(self, d: XKey, k: XKey, h: int) -> None:
        reqs, plan = self.prep.requests, self.plan
        sid, w = k[1], k[2]
        plan[d] -= h
        if plan[d] == 0:
            del plan[d]
            self.at[sid, w].discard(d)
        plan[k] = plan.get(k, 0) + h
        self.at[sid, w].add(k)
        self.got[reqs[d[0][0]].municipality] -= h
        self.got[reqs[k[0][0]].municipality] += h
        self.need_got[d[0]] -= h
        self.need_got[k[0]] += h
        self.request_week[d[0][0], w] -= h
        self.request_week[k[0][0], w] += h
