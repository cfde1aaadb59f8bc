"""A simple upper bound at national scale: each request alone, every eligible specialist's free week its own.

Per need, the open hours its eligible people's free hours could carry week by week under the request's
weekly maximum; per request, at most its weekly maxima over the window. It is `solver.lp_bound`'s simple
bound, computed from the arrays: looser than the LP, which would not fit in memory here.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from solver.instance import Request
from solver.national.tables import Tables


def request_bound(tables: Tables, r: Request) -> int:
    """Hours the request could get with the pool to itself, counted generously."""
    base = tables.base
    weeks = range(max(r.start_week, base.frozen_weeks), r.end_week + 1)
    room = np.array([base.request_week_room(r.id, w) for w in weeks], dtype=np.int64)
    total = 0
    for i in range(len(r.needs)):
        rows, lo, mask = tables.eligible(r, i)
        if not len(rows):
            continue
        supply = (tables.free[rows, lo : lo + mask.shape[1]] * mask).sum(axis=0)
        carried = int(np.minimum(supply, room[lo - weeks.start :]).sum())
        total += min(base.open_hours((r.id, i)), carried)
    return min(total, int(room.sum()))


def simple_bounds(tables: Tables) -> tuple[int, dict[str, float]]:
    """The bound on priority-weighted fill (fixed hours included), and each municipality's hours alike.

    The municipalities' figures stand in for their fillable demand (which the LP would give): they are never
    below it, so a municipality's share measured on them is never flattered.
    """
    base = tables.base
    weighted = sum(a.hours * base.requests[a.request].weight for a in base.fixed)
    towns: dict[str, float] = defaultdict(float)
    for a in base.fixed:
        towns[base.requests[a.request].municipality] += a.hours
    for r in base.instance.requests:
        hours = request_bound(tables, r)
        weighted += hours * r.weight
        towns[r.municipality] += hours
    return weighted, dict(towns)
