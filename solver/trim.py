"""Bring a plan within a cap on specialists per need by dropping its smallest fragments.

A fragment is the hours one specialist carries on a need that others carry too. Dropping the fragments worth
least (hours × request weight) first costs the least fill; each dropped fragment's hours then go, where
capacity, the weekly maximum and the partner budget allow, to the people who stay on that need. All-or-nothing
requests are left alone (a dropped hour would empty them). The result is a start for the balance step that is
already within the cap while filling nearly as much as the plan it came from.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from solver.instance import Assignment
from solver.model import XKey
from solver.prepared import NeedKey, Prepared


def pairs_and_needs(plan: list[Assignment]) -> tuple[int, int]:
    """Specialist × need pairs and needs served: specialists per need is their ratio."""
    pairs = {((a.request, a.need), a.specialist) for a in plan}
    return len(pairs), len({key for key, _ in pairs})


def trim_to_cap(prep: Prepared, hours: dict[XKey, int], cap: tuple[int, int]) -> dict[XKey, int]:
    """Return a copy of the plan with at most cap[0] ÷ cap[1] specialists per served need, if it can be done."""
    plan = dict(hours)
    fixed_pairs = {((a.request, a.need), a.specialist) for a in prep.fixed}
    cells: dict[tuple[NeedKey, str], list[int]] = defaultdict(list)
    for key, sid, w in plan:
        cells[key, sid].append(w)
    people: dict[NeedKey, set[str]] = defaultdict(set)
    for key, sid in set(cells) | fixed_pairs:
        people[key].add(sid)
    pairs, needs = sum(len(p) for p in people.values()), len(people)
    max_pairs, max_needs = cap
    if pairs * max_needs <= max_pairs * needs:
        return plan
    person_week: dict[tuple[str, int], int] = defaultdict(int)
    request_week: dict[tuple[str, int], int] = defaultdict(int)
    partner_used = sum(h for (_, sid, _), h in plan.items() if prep.specialists[sid].kind == "partner")
    for (key, sid, w), h in plan.items():
        person_week[sid, w] += h
        request_week[key[0], w] += h

    def worth(key: NeedKey, sid: str) -> int:
        return sum(plan[key, sid, w] for w in cells[key, sid]) * prep.requests[key[0]].weight

    fragments = [
        (worth(key, sid), key, sid)
        for key, sid in cells
        if (key, sid) not in fixed_pairs and not prep.requests[key[0]].all_or_nothing
    ]
    heapq.heapify(fragments)
    while fragments and pairs * max_needs > max_pairs * needs:
        value, key, sid = heapq.heappop(fragments)
        if (key, sid) not in cells or len(people[key]) < 2:
            continue  # dropping the only person would unserve the need: no gain in specialists per need
        if worth(key, sid) != value:  # it took freed hours of a fragment dropped before: weigh it again
            heapq.heappush(fragments, (worth(key, sid), key, sid))
            continue
        rid = key[0]
        freed = 0
        for w in cells.pop((key, sid)):
            h = plan.pop((key, sid, w))
            person_week[sid, w] -= h
            request_week[rid, w] -= h
            freed += h
            if prep.specialists[sid].kind == "partner":
                partner_used -= h
        people[key].discard(sid)
        pairs -= 1
        # the freed hours to the people who stay on the need (a pinned one too), in their eligible weeks
        for other in sorted(people[key]):
            partner = prep.specialists[other].kind == "partner"
            for w in prep.eligible_weeks.get((key, other), ()):
                if freed == 0:
                    break
                room = prep.request_week_room(rid, w) - request_week[rid, w]
                h = min(freed, prep.free_capacity[other, w] - person_week[other, w], room)
                if partner:
                    h = min(h, prep.partner_budget_left - partner_used)
                if h <= 0:
                    continue
                plan[key, other, w] = plan.get((key, other, w), 0) + h
                if w not in cells[key, other]:
                    cells[key, other].append(w)
                person_week[other, w] += h
                request_week[rid, w] += h
                freed -= h
                if partner:
                    partner_used += h
    return plan


def top_up(prep: Prepared, hours: dict[XKey, int], candidates: dict[NeedKey, list[str]]) -> dict[XKey, int]:
    """Return a copy of the plan with free hours added without raising specialists per need above one-ish.

    Needs already served get more hours only from the people already on them; a need nobody serves yet gets
    the one candidate who can cover most of it. Either way the ratio of specialists to served needs does not
    rise above what it was (a new need with one person has ratio 1). Priority first; all-or-nothing requests
    are left alone.
    """
    plan = dict(hours)
    person_week: dict[tuple[str, int], int] = defaultdict(int)
    request_week: dict[tuple[str, int], int] = defaultdict(int)
    need_hours: dict[NeedKey, int] = defaultdict(int)
    people: dict[NeedKey, set[str]] = defaultdict(set)
    partner_used = 0
    for (key, sid, w), h in plan.items():
        person_week[sid, w] += h
        request_week[key[0], w] += h
        need_hours[key] += h
        people[key].add(sid)
        if prep.specialists[sid].kind == "partner":
            partner_used += h
    for a in prep.fixed:
        people[a.request, a.need].add(a.specialist)

    def free(key: NeedKey, sid: str, w: int) -> int:
        h = min(
            prep.free_capacity[sid, w] - person_week[sid, w],
            prep.request_week_room(key[0], w) - request_week[key[0], w],
        )
        if prep.specialists[sid].kind == "partner":
            h = min(h, prep.partner_budget_left - partner_used)
        return h

    order = sorted(candidates, key=lambda k: (prep.requests[k[0]].priority, prep.requests[k[0]].start_week, k))
    for key in order:
        if prep.requests[key[0]].all_or_nothing:
            continue
        left = prep.open_hours(key) - need_hours[key]
        if left <= 0:
            continue
        if people[key]:
            choice = sorted(sid for sid in people[key] if sid in candidates[key])
        else:
            cover = [
                (-sum(max(0, free(key, s, w)) for w in prep.eligible_weeks.get((key, s), ())), s)
                for s in candidates[key]
            ]
            choice = [min(cover)[1]] if cover else []
        for sid in choice:
            for w in prep.eligible_weeks.get((key, sid), ()):
                if left == 0:
                    break
                h = min(left, free(key, sid, w))
                if h <= 0:
                    continue
                plan[key, sid, w] = plan.get((key, sid, w), 0) + h
                person_week[sid, w] += h
                request_week[key[0], w] += h
                need_hours[key] += h
                people[key].add(sid)
                left -= h
                if prep.specialists[sid].kind == "partner":
                    partner_used += h
    return plan
