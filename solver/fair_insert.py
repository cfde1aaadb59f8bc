"""Serve an all-or-nothing request of the worst-served municipality by displacing hours of better-served ones.

The hour-by-hour fairness repair leaves all-or-nothing requests alone, yet such a request is often all that
keeps a municipality at the bottom: it needs the same people every week of its window and gets nothing at all
unless it gets everything. Here each of its hours takes a specialist's free hour, or displaces an hour of a
request with the same or a lower weight from a municipality that stays better served than the worst was. So
weighted fill never drops, and capacity, weekly maxima and the partner budget hold throughout.
"""

from __future__ import annotations

from collections import defaultdict

from solver.model import XKey
from solver.prepared import NeedKey, Prepared


class _State:
    """The plan with its running totals, and an undo log for a trial insertion."""

    def __init__(self, prep: Prepared, hours: dict[XKey, int], fillable: dict[str, float]) -> None:
        self.prep = prep
        self.plan: dict[XKey, int] = {}
        self.person_week: dict[tuple[str, int], int] = defaultdict(int)
        self.request_week: dict[tuple[str, int], int] = defaultdict(int)
        self.town: dict[str, int] = defaultdict(int)
        self.cells: dict[tuple[str, int], set[XKey]] = defaultdict(set)  # (specialist, week) -> planned cells
        self.partner_used = 0
        self.log: list[tuple[XKey, int]] = []
        self.need_people: dict[NeedKey, dict[str, int]] = defaultdict(dict)  # hours per person on each need
        self.people_of: dict[NeedKey, list[str]] = {}  # candidates per need, set by fair_insert
        for a in prep.fixed:
            self.town[prep.requests[a.request].municipality] += a.hours
        for key, h in hours.items():
            self.apply(key, h, log=False)
        self.fillable = {m: f for m, f in fillable.items() if round(f) >= 1}

    def apply(self, key: XKey, delta: int, log: bool = True) -> None:
        (rid, need), sid, w = key
        if key not in self.plan:
            self.plan[key] = 0
        self.plan[key] += delta
        if self.plan[key] == 0:
            del self.plan[key]
            self.cells[sid, w].discard(key)
        else:
            self.cells[sid, w].add(key)
        self.person_week[sid, w] += delta
        self.request_week[rid, w] += delta
        on_need = self.need_people[rid, need]
        on_need[sid] = on_need.get(sid, 0) + delta
        self.town[self.prep.requests[rid].municipality] += delta
        if self.prep.specialists[sid].kind == "partner":
            self.partner_used += delta
        if log:
            self.log.append((key, delta))

    def undo(self) -> None:
        for key, delta in reversed(self.log):
            self.apply(key, -delta, log=False)
        self.log.clear()

    def ratio(self, town: str, extra: int = 0) -> float:
        return (self.town[town] + extra) / self.fillable[town]


def fair_insert(
    prep: Prepared,
    hours: dict[XKey, int],
    fillable: dict[str, float],
    allowed: set[XKey],
    max_requests: int = 20,
) -> dict[XKey, int]:
    """Return a copy of the plan with all-or-nothing requests of the worst-served municipality served."""
    st = _State(prep, hours, fillable)
    if len(st.fillable) < 2:
        return st.plan
    by_pair: dict[tuple[NeedKey, str], list[int]] = defaultdict(list)
    people_of: dict[NeedKey, set[str]] = defaultdict(set)
    for key, sid, w in allowed:
        by_pair[key, sid].append(w)
        people_of[key].add(sid)
    st.people_of = {key: sorted(p) for key, p in people_of.items()}
    tried: set[str] = set()
    for _ in range(max_requests):
        worst_town = min(st.fillable, key=lambda m: (st.ratio(m), m))
        worst = st.ratio(worst_town)
        waiting = sorted(
            (r.priority, sum(n.hours for n in r.needs), r.id)
            for r in prep.instance.requests
            if r.municipality == worst_town
            and r.all_or_nothing
            and r.id not in tried
            and not any(st.request_week.get((r.id, w), 0) for w in range(r.start_week, r.end_week + 1))
            and not any(prep.fixed_need_hours.get((r.id, i), 0) for i in range(len(r.needs)))
        )
        if not waiting:
            break
        rid = waiting[0][2]
        tried.add(rid)
        st.log.clear()
        if not _insert(st, rid, worst, by_pair):
            st.undo()
    return st.plan


def _insert(st: _State, rid: str, worst: float, by_pair: dict[tuple[NeedKey, str], list[int]]) -> bool:
    """Plan every hour of the request, displacing where needed; False if it cannot be completed."""
    prep = st.prep
    r = prep.requests[rid]
    for i, need in enumerate(r.needs):
        key = (rid, i)
        left = need.hours
        # people already on the request first, then those with most weeks in the window: few people per need
        on_request = {sid for j in range(len(r.needs)) for sid, h in st.need_people[rid, j].items() if h > 0}
        people = sorted(
            st.people_of.get(key, []),
            key=lambda sid: (sid not in on_request, -len(by_pair[key, sid]), sid),
        )
        for sid in people:
            for w in sorted(by_pair[key, sid]):
                if left == 0:
                    break
                room = prep.request_week_room(rid, w) - st.request_week[rid, w]
                want = min(left, room)
                if prep.specialists[sid].kind == "partner":
                    want = min(want, prep.partner_budget_left - st.partner_used)
                if want <= 0:
                    continue
                free = prep.free_capacity[sid, w] - st.person_week[sid, w]
                if free < want:
                    free += _displace(st, sid, w, want - free, r.weight, worst, by_pair)
                h = min(want, free)  # every displaced hour is taken: weighted fill cannot drop
                if h > 0:
                    st.apply((key, sid, w), h)
                    left -= h
            if left == 0:
                break
        if left > 0:
            return False
    return True


def _displace(
    st: _State, sid: str, w: int, needed: int, weight: int, worst: float, by_pair: dict[tuple[NeedKey, str], list[int]]
) -> int:
    """Free up to `needed` hours of a specialist's week for a request of the given weight.

    An hour of a request no heavier may go, if its town stays better served than the worst one was; the hour
    is then placed with someone else where possible. An hour of a heavier request moves only to someone else,
    never away, so fill and that town's hours stay as they are.
    """
    prep = st.prep
    freed = 0
    for key in sorted(st.cells[sid, w], key=lambda k: (prep.requests[k[0][0]].weight, k)):
        if freed >= needed:
            break
        cell_need = key[0]
        other = prep.requests[cell_need[0]]
        if other.all_or_nothing or other.municipality not in st.fillable:
            continue
        h = min(st.plan[key], needed - freed)
        st.apply(key, -h)
        placed = _place(st, cell_need, h, (sid, w), by_pair)
        lost = h - placed
        if other.weight > weight:
            keep = lost  # a heavier request's hours that found no one else go back
            if keep:
                st.apply(key, keep)
        else:
            keep = 0  # the town giving hours stays better served than the worst one was
            while keep < lost and st.ratio(other.municipality) <= worst:
                st.apply(key, 1)
                keep += 1
        freed += h - keep
    return freed


def _place(
    st: _State, key: NeedKey, hours: int, avoid: tuple[str, int], by_pair: dict[tuple[NeedKey, str], list[int]]
) -> int:
    """Place up to `hours` more of a need on free hours of its candidates (not in the `avoid` week); return how many."""
    prep = st.prep
    rid = key[0]
    placed = 0
    on_need = st.need_people[key]
    people = sorted(st.people_of[key], key=lambda s: (on_need.get(s, 0) == 0, s))
    for sid in people:
        partner = prep.specialists[sid].kind == "partner"
        for w in sorted(by_pair[key, sid]):
            if placed == hours:
                return placed
            if (sid, w) == avoid:
                continue
            h = min(
                hours - placed,
                prep.free_capacity[sid, w] - st.person_week[sid, w],
                prep.request_week_room(rid, w) - st.request_week[rid, w],
            )
            if partner:
                h = min(h, prep.partner_budget_left - st.partner_used)
            if h > 0:
                st.apply((key, sid, w), h)
                placed += h
    return placed
