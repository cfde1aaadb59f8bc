"""A start for the fill step from the LP optimum: its hours rounded down, then topped up the greedy way.

Rounding down keeps every capacity, weekly maximum and the partner budget; the greedy pass then keeps those
hours where they fit, fills what rounding left open (priority first) and drops any all-or-nothing request it
cannot complete. On loose instances this plan often reaches the LP bound itself: the fill is then proven
optimal before CP-SAT starts.
"""

from __future__ import annotations

import math

from solver.greedy import greedy_assignments
from solver.instance import Assignment
from solver.lp_bound import LpResult
from solver.prepared import Prepared


def lp_rounded(prep: Prepared, lp: LpResult) -> list[Assignment]:
    """Return new assignments (the fixed ones excluded) built from the LP optimum's cells."""
    if not lp.cells:
        return []
    rounded = tuple(
        Assignment(key[0], key[1], sid, week, hours)
        for (key, sid, week), value in sorted(lp.cells.items())
        if (hours := math.floor(value + 1e-6)) > 0
    )
    # the rounded hours take the place of the published plan's open part; greedy keeps them where they fit
    return greedy_assignments(prep, keep_first=tuple(prep.fixed) + rounded)
