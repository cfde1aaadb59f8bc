"""The national instance prepared: every need's qualified people, but eligible weeks only for its candidates.

The candidates of a need are the K qualified specialists who could cover most of it (as
`solver.candidates.best_people` ranks them for the planner too: cover, internal first, least over-qualified,
id), plus every pair of the previous plan and, once the greedy orders ran, of their plans. Everything after
the set-up (the neighbourhoods' models, the explanations) sees only these pairs, so the model stays a few
hundred thousand variables instead of a hundred million.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable

from solver.candidates import best_people
from solver.instance import Assignment
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
            for row, weeks in best_people(tables, tables.base, r, i, per_need):
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
