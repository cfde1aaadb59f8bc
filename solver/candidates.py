"""Pruning: which qualified specialists the model may consider for each need.

A need's best people are those who could cover most of it (capacity left and the request's weekly maximum
over their eligible weeks), internal before the partner, the least over-qualified, then by id; ranked with
numpy over the arrays of `solver.national.tables`, for the planner and the national planner alike.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from solver.instance import Request
from solver.national.tables import Tables, build_tables
from solver.prepared import NeedKey, Prepared


def select_candidates(
    prep: Prepared, per_need: int, always: Iterable[tuple[NeedKey, str]] = (), tables: Tables | None = None
) -> dict[NeedKey, list[str]]:
    """Keep, per need, the K specialists who could cover most of it, plus every pair in `always`.

    `always` carries the pairs of the greedy plan, of the previous plan and of the LP optimum, so that the
    model can at least reproduce the baseline, keep the published plan and reach the relaxation's choices.
    `tables` are the instance's arrays (built here when not given).
    """
    tables = tables or build_tables(prep.instance, prep.frozen_weeks)
    forced: dict[NeedKey, set[str]] = {}
    for key, sid in always:
        if (key, sid) in prep.eligible_weeks:
            forced.setdefault(key, set()).add(sid)
    chosen: dict[NeedKey, list[str]] = {}
    for key in prep.need_keys():
        if prep.open_hours(key) == 0:
            continue
        keep = [tables.ids[row] for row, _ in best_people(tables, prep, prep.requests[key[0]], key[1], per_need)]
        extra = sorted(forced.get(key, set()) - set(keep))
        if keep or extra:
            chosen[key] = keep + extra
    return chosen


def best_people(tables: Tables, prep: Prepared, r: Request, i: int, per_need: int) -> list[tuple[int, list[int]]]:
    """The need's best `per_need` eligible people (rows of `tables`) with their eligible weeks, best first."""
    open_hours = prep.open_hours((r.id, i))
    if open_hours == 0:
        return []
    rows, lo, mask = tables.eligible(r, i)
    if not len(rows):
        return []
    hi = lo + mask.shape[1]
    room = np.array([prep.request_week_room(r.id, w) for w in range(lo, hi)], dtype=np.int32)
    cover = np.minimum(open_hours, (np.minimum(tables.free[rows, lo:hi], room) * mask).sum(axis=1))
    need = r.needs[i]
    gap = tables.levels[rows, tables.skill_col[need.skill]].astype(np.int64) - need.min_level
    best = np.lexsort((tables.rank[rows], gap, tables.partner[rows], -cover))[:per_need]
    return [(int(rows[k]), (lo + np.flatnonzero(mask[k])).tolist()) for k in best]
