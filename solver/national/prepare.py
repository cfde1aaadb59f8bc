"""The national instance prepared: every need's qualified people, but eligible weeks only for its candidates.

The candidates of a need are the K qualified specialists who could cover most of it (as
`solver.candidates.select_candidates` ranks them: cover, internal first, least over-qualified, id), plus every
pair of the previous plan and, once the greedy orders ran, of their plans. Everything after the set-up (the
neighbourhoods' models, the explanations) sees only these pairs, so the model stays a few hundred thousand
variables instead of a hundred million.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable

import numpy as np

from solver.instance import Assignment, Request
from solver.national.tables import Tables
from solver.prepared import Prepared


def start_prepare(tables: Tables) -> Prepared:
    """The Prepared with every need's qualified people and the eligible weeks of the previous plan's pairs only."""
    base = tables.base
    qualified = {
        (r.id, i): [tables.ids[j] for j in tables.qualified(r, i).tolist()]
        for r in base.instance.requests
        for i in range(len(r.needs))
    }
    prep = dataclasses.replace(base, qualified=qualified, eligible_weeks={})
    add_pairs(tables, prep, base.instance.previous_plan)
    return prep


def add_candidates(tables: Tables, prep: Prepared, per_need: int, deadline: float | None = None) -> bool:
    """Add each need's best `per_need` eligible people as candidates; whether every need got them in time."""
    for r in prep.instance.requests:
        if deadline is not None and time.monotonic() > deadline:
            return False
        for i in range(len(r.needs)):
            for row, weeks in _candidates(tables, r, i, per_need):
                prep.eligible_weeks.setdefault(((r.id, i), tables.ids[row]), weeks)
    return True


def add_pairs(tables: Tables, prep: Prepared, plan: Iterable[Assignment]) -> None:
    """Make the plan's need × specialist pairs candidates too (where eligible at all)."""
    row = {sid: j for j, sid in enumerate(tables.ids)}
    for a in plan:
        pair = ((a.request, a.need), a.specialist)
        if pair not in prep.eligible_weeks and a.specialist in row and a.request in prep.requests:
            weeks = tables.weeks(prep.requests[a.request], a.need, row[a.specialist])
            if weeks and a.specialist in prep.qualified.get(pair[0], ()):
                prep.eligible_weeks[pair] = weeks


def _candidates(tables: Tables, r: Request, i: int, per_need: int) -> list[tuple[int, list[int]]]:
    """The need's best `per_need` eligible rows with their weeks."""
    base = tables.base
    key = (r.id, i)
    open_hours = base.open_hours(key)
    if open_hours == 0:
        return []
    rows, lo, mask = tables.eligible(r, i)
    if not len(rows):
        return []
    hi = lo + mask.shape[1]
    room = np.array([base.request_week_room(r.id, w) for w in range(lo, hi)], dtype=np.int32)
    cover = np.minimum(open_hours, (np.minimum(tables.free[rows, lo:hi], room) * mask).sum(axis=1))
    need = r.needs[i]
    gap = tables.levels[rows, tables.skill_col[need.skill]].astype(np.int64) - need.min_level
    best = np.lexsort((tables.rank[rows], gap, tables.partner[rows], -cover))[:per_need]
    return [(int(rows[k]), (lo + np.flatnonzero(mask[k])).tolist()) for k in best]
