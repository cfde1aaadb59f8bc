"""Raise the worst municipality's fill ratio by trading hours between requests of equal weight.

An hour a specialist works in a week for another municipality's request moves to an unfilled need of the
worst-served municipality when both requests have the same weight (priority), so weighted fill, capacity,
the weekly maximum and the partner budget stay as they are. All-or-nothing requests are left alone.
"""

from __future__ import annotations

import time
from collections import defaultdict

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
    plan = dict(hours)
    reqs = prep.requests
    towns = {m: round(f) for m, f in fillable.items() if round(f) >= 1}
    if len(towns) < 2:
        return plan
    got: dict[str, int] = defaultdict(int)
    for a in prep.fixed:
        got[reqs[a.request].municipality] += a.hours
    need_got: dict[tuple[str, int], int] = defaultdict(int)
    request_week: dict[tuple[str, int], int] = defaultdict(int)
    at: dict[tuple[str, int], set[XKey]] = defaultdict(set)
    for k, h in plan.items():
        key, sid, w = k
        got[reqs[key[0]].municipality] += h
        need_got[key] += h
        request_week[key[0], w] += h
        at[sid, w].add(k)
    # the unfilled-need slots per municipality: (need, specialist, week) allowed in the model
    slots: dict[str, list[XKey]] = defaultdict(list)
    for k in sorted(allowed):
        r = reqs[k[0][0]]
        if not r.all_or_nothing and r.municipality in towns:
            slots[r.municipality].append(k)
    moves = 0
    deadline = time.monotonic() + seconds
    while moves < max_moves and time.monotonic() < deadline:
        worst = min(towns, key=lambda m: (got[m] / towns[m], m))
        ratio = got[worst] / towns[worst]
        moved = False
        for k in slots[worst]:
            key, sid, w = k
            r = reqs[key[0]]
            room = min(
                prep.open_hours(key) - need_got[key],
                prep.request_week_room(key[0], w) - request_week[key[0], w],
            )
            if room <= 0:
                continue
            for d in sorted(at[sid, w]):
                dkey = d[0]
                dr = reqs[dkey[0]]
                town = dr.municipality
                if dr.weight != r.weight or dr.all_or_nothing or town == worst or town not in towns:
                    continue
                # the donor must stay above the receiver after the move
                h = min(room, plan[d])
                while h > 0 and (got[town] - h) / towns[town] < ratio + h / towns[worst]:
                    h //= 2
                if h <= 0:
                    continue
                plan[d] -= h
                if plan[d] == 0:
                    del plan[d]
                    at[sid, w].discard(d)
                plan[k] = plan.get(k, 0) + h
                at[sid, w].add(k)
                got[town] -= h
                got[worst] += h
                need_got[dkey] -= h
                need_got[key] += h
                request_week[dkey[0], w] -= h
                request_week[key[0], w] += h
                moves += 1
                moved = True
                break
            if moved:
                break
        if not moved:
            break  # the minimum cannot rise any further this way
    return plan
