"""The baseline: how a coordinator with a spreadsheet plans, in a few orders a coordinator might use.

Priority first, then the earliest start; internal specialists before the partner; each person's weeks filled
from the earliest on. An all-or-nothing request that cannot be filled completely is rolled back. The orders
differ in whom a coordinator asks first for a need:

- ``same-person``: the person who had it in the published plan, then one already on the request, then the one
  with the most free hours in the window;
- ``most-free-hours``: the one with the most free hours in the window.

The baseline is the best of these orders (the most priority-weighted fill).
"""

from __future__ import annotations

from solver.instance import Assignment
from solver.prepared import NeedKey, Prepared

GREEDY_ORDERS = ("same-person", "most-free-hours")


def greedy_assignments(
    prep: Prepared,
    prefer: dict[tuple[NeedKey, str], float] | None = None,
    request_ids: set[str] | None = None,
    order: str = "same-person",
) -> list[Assignment]:
    """Return the greedy plan's new assignments (the fixed ones excluded).

    `prefer` (hours per need × specialist, e.g. from the LP optimum) ranks the specialists of a need before
    anything else; without it, this is the coordinator's spreadsheet. `request_ids` plans only those requests,
    as if the pool were theirs alone. `order` is one of GREEDY_ORDERS.
    """
    if order not in GREEDY_ORDERS:
        raise ValueError(f"unknown greedy order {order!r}; expected one of {', '.join(GREEDY_ORDERS)}")
    same_person = order == "same-person"
    prefer = prefer or {}
    free = dict(prep.free_capacity)
    budget = prep.partner_budget_left
    previous_people: dict[NeedKey, set[str]] = {}
    previous_open: dict[str, list[Assignment]] = {}  # previous-plan entries the planner may still change
    for a in prep.instance.previous_plan:
        previous_people.setdefault((a.request, a.need), set()).add(a.specialist)
        if not (a.pinned or a.week < prep.frozen_weeks):
            previous_open.setdefault(a.request, []).append(a)
    chosen = [r for r in prep.instance.requests if request_ids is None or r.id in request_ids]
    queue = sorted(chosen, key=lambda r: (r.priority, r.start_week, r.id))
    rooms = {r.id: {w: prep.request_week_room(r.id, w) for w in range(r.start_week, r.end_week + 1)} for r in queue}
    trials: dict[str, list[Assignment]] = {r.id: [] for r in queue}
    kept: dict[NeedKey, int] = {}

    def take(rid: str, need: int, sid: str, week: int, hours: int) -> None:
        nonlocal budget
        trials[rid].append(Assignment(rid, need, sid, week, hours))
        free[sid, week] -= hours
        rooms[rid][week] -= hours
        if prep.specialists[sid].kind == "partner":
            budget -= hours

    # first keep what the published plan already promised, where it still fits, for every request
    for r in queue:
        for a in previous_open.get(r.id, []):
            key = (r.id, a.need)
            if a.week not in prep.eligible_weeks.get((key, a.specialist), ()):
                continue
            h = min(a.hours, free[a.specialist, a.week], rooms[r.id].get(a.week, 0))
            h = min(h, prep.open_hours(key) - kept.get(key, 0))
            if prep.specialists[a.specialist].kind == "partner":
                h = min(h, budget)
            if h > 0:
                take(r.id, a.need, a.specialist, a.week, h)
                kept[key] = kept.get(key, 0) + h
    # then fill the rest: priority first, earliest start, same person, internal before the partner
    plan: list[Assignment] = []
    for r in queue:
        room = rooms[r.id]
        on_request = {a.specialist for a in trials[r.id]}
        complete = True
        for i in range(len(r.needs)):
            key = (r.id, i)
            left = prep.open_hours(key) - kept.get(key, 0)
            if left == 0:
                continue
            ranked = sorted(
                (
                    -prefer.get((key, sid), 0.0),
                    prep.specialists[sid].kind == "partner",
                    same_person and sid not in previous_people.get(key, ()),
                    same_person and sid not in on_request,
                    -sum(min(free[sid, w], room[w]) for w in prep.eligible_weeks[key, sid]),
                    sid,
                )
                for sid in prep.qualified[key]
                if (key, sid) in prep.eligible_weeks
            )
            for *_, sid in ranked:
                partner = prep.specialists[sid].kind == "partner"
                for w in prep.eligible_weeks[key, sid]:
                    if left == 0:
                        break
                    h = min(left, free[sid, w], room[w], budget if partner else left)
                    if h > 0:
                        take(r.id, i, sid, w, h)
                        left -= h
                        on_request.add(sid)
                if left == 0:
                    break
            complete = complete and left == 0
        if r.all_or_nothing and not complete:
            for a in trials[r.id]:
                free[a.specialist, a.week] += a.hours
                room[a.week] += a.hours
                if prep.specialists[a.specialist].kind == "partner":
                    budget += a.hours
            continue
        plan.extend(trials[r.id])
    return _merged(plan)


def _merged(plan: list[Assignment]) -> list[Assignment]:
    """Join entries for the same need, specialist and week (kept and newly added hours)."""
    hours: dict[tuple[str, int, str, int], int] = {}
    for a in plan:
        key = (a.request, a.need, a.specialist, a.week)
        hours[key] = hours.get(key, 0) + a.hours
    return [Assignment(r, n, s, w, h) for (r, n, s, w), h in hours.items()]


def greedy_orders(prep: Prepared) -> dict[str, list[Assignment]]:
    """Each coordinator order's plan (new assignments only), by the order's name."""
    return {order: greedy_assignments(prep, order=order) for order in GREEDY_ORDERS}
