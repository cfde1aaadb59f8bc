"""Re-plans: the requests nothing touched keep their published hours; only the touched ones are searched.

A request is touched when a start plan gives it other hours than the published plan after the frozen weeks
(every greedy order first keeps the published entries that still fit, so that is an entry that no longer
fits, a specialist fallen ill say, or hours added), or when it has open hours and no published entry (a new
request). A touched request still short of hours in the fullest start plan touches in turn the requests of
a lower priority whose published hours it could take (fill comes before stability: no critical hour is left
open to keep a low one where it was); the fill step then weighs them. Every other request keeps its
published entries, fixed like the frozen weeks: the re-plan changes nothing it need not, and the model holds
the touched requests alone. The start plans agree with the published plan on the kept requests, so each is
still a plan of that model and the fill floor holds.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from solver.model import XKey
from solver.pipeline.context import Run
from solver.pipeline.starts import Starts
from solver.plans import PlanInHand, xkey
from solver.prepared import NeedKey, Prepared, is_fixed, prepare


def keep_untouched(run: Run, starts: Starts) -> Starts:
    """Prepare the run again with the untouched requests kept; the start plans without their hours."""
    prep = run.prep
    kept = frozenset(r.id for r in prep.instance.requests) - touched_requests(run, starts)
    run.prep = prepare(prep.instance, prep.frozen_weeks, kept)
    plans = [
        PlanInHand.from_hours(run.prep, {k: h for k, h in p.hours.items() if k[0][0] not in kept}, p.source)
        for p in starts.plans
    ]
    greedy_fill = max(p.fill for p in plans if p.source.startswith("greedy "))
    run.info.update(requests_kept=len(kept), requests_searched=len(prep.instance.requests) - len(kept))
    return dataclasses.replace(starts, plans=plans, greedy_fill=greedy_fill)


def touched_requests(run: Run, starts: Starts) -> set[str]:
    """The requests a start plan changes, those with open hours and nothing published, and the requests of a
    lower priority whose published hours these could take (displaced_requests)."""
    prep = run.prep
    published = _by_request(
        {xkey(a): a.hours for a in prep.instance.previous_plan if not is_fixed(a, prep.frozen_weeks)}
    )
    touched: set[str] = set()
    for p in starts.plans:
        planned = _by_request(p.hours)
        touched |= {rid for rid in planned.keys() | published.keys() if planned.get(rid) != published.get(rid)}
    touched |= {
        r.id
        for r in prep.instance.requests
        if r.id not in published and any(prep.open_hours((r.id, i)) for i in range(len(r.needs)))
    }
    best = max(starts.plans, key=lambda p: p.fill)  # the fill step's start (the first of equals)
    return touched | displaced_requests(prep, best, touched)


def displaced_requests(prep: Prepared, plan: PlanInHand, touched: set[str]) -> set[str]:
    """The requests of a lower priority holding published hours (after the frozen weeks) that a touched request
    the plan leaves hours open could take (open_cells). One pass, no model.

    Only a lower priority: giving an hour from one request to another of the same weight gains no fill.
    """
    wanted: dict[tuple[str, int], int] = {}  # specialist × week -> the highest weight that could take its hours
    for key, cells in open_cells(prep, plan, touched).items():
        weight = prep.requests[key[0]].weight
        for cell in cells:
            wanted[cell] = max(wanted.get(cell, 0), weight)
    published = (a for a in prep.instance.previous_plan if not is_fixed(a, prep.frozen_weeks))
    return {a.request for a in published if wanted.get((a.specialist, a.week), 0) > prep.requests[a.request].weight}


def open_cells(prep: Prepared, plan: PlanInHand, rids: Iterable[str]) -> dict[NeedKey, list[tuple[str, int]]]:
    """Per need of these requests that the plan leaves hours open, the specialist × week cells that could take
    them: a specialist eligible for the need, in a week where the plan leaves the request room under its
    weekly maximum. None of an all-or-nothing request that could not be complete anyway."""
    planned: dict[NeedKey, int] = defaultdict(int)
    room_used: dict[tuple[str, int], int] = defaultdict(int)
    for (key, _, w), h in plan.hours.items():
        planned[key] += h
        room_used[key[0], w] += h
    out: dict[NeedKey, list[tuple[str, int]]] = {}
    for rid in sorted(rids):
        if not _could_be_complete(prep, rid):
            continue
        for i in range(len(prep.requests[rid].needs)):
            if planned[rid, i] >= prep.open_hours((rid, i)):
                continue
            cells = [
                (sid, w)
                for sid in prep.qualified.get((rid, i), ())
                for w in prep.eligible_weeks.get(((rid, i), sid), ())
                if room_used[rid, w] < prep.request_week_room(rid, w)
            ]
            if cells:
                out[rid, i] = cells
    return out


def _could_be_complete(prep: Prepared, rid: str) -> bool:
    """False for an all-or-nothing request that a cheap bound shows cannot get all its open hours: its room
    under the weekly maximum, or a need's eligible specialists' free hours within that room, fall short."""
    keys = [(rid, i) for i in range(len(prep.requests[rid].needs))]
    if not prep.requests[rid].all_or_nothing or any(prep.fixed_need_hours.get(k, 0) for k in keys):
        return True  # filled as far as it goes (solver.rules.all_or_nothing)
    room = prep.week_room(rid)
    if sum(prep.open_hours(k) for k in keys) > sum(room.values()):
        return False
    for key in keys:
        free: dict[int, int] = defaultdict(int)
        for sid in prep.qualified.get(key, ()):
            for w in prep.eligible_weeks.get((key, sid), ()):
                free[w] += prep.free_capacity[sid, w]
        if sum(min(room[w], f) for w, f in free.items()) < prep.open_hours(key):
            return False
    return True


def _by_request(hours: dict[XKey, int]) -> dict[str, dict[XKey, int]]:
    out: dict[str, dict[XKey, int]] = defaultdict(dict)
    for k, h in hours.items():
        if h > 0:
            out[k[0][0]][k] = h
    return dict(out)
