"""The coordinator's greedy orders at national scale: `solver.greedy`'s plan, with each need's people ranked at once.

The same algorithm as `solver.greedy.greedy_assignments` (priority first, then the earliest start; the
published plan kept where it fits; internal before the partner; all-or-nothing rolled back), on the same
`PlanState` for the hard rules; only the ranking of a need's hundreds of qualified people is one numpy sort
instead of a Python loop over them. `tests/solver/test_national.py` checks the plans are the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from solver.greedy import GREEDY_ORDERS, Cell, _keep_published, place
from solver.instance import Assignment, Request
from solver.national.tables import Tables
from solver.plan_state import PlanState, people_by_need
from solver.prepared import NeedKey, Prepared


@dataclass
class _ArrayState(PlanState):
    """The plan state, with the free hours mirrored in an array for ranking."""

    row: dict[str, int] = field(default_factory=dict)
    array: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int32))

    def _move(self, key: NeedKey, sid: str, week: int, hours: int) -> None:
        super()._move(key, sid, week, hours)
        self.array[self.row[sid], week] -= hours


def national_greedy(
    tables: Tables, prep: Prepared, order: str = "same-person", deadline: float | None = None
) -> list[Assignment]:
    """The greedy plan's new assignments (fixed ones excluded) in one of `solver.greedy.GREEDY_ORDERS`.

    `prep` must list the eligible weeks of the previous plan's pairs (the published plan is kept first). At
    the `deadline` (time.monotonic) the requests not reached yet keep only what the published plan gave them.
    """
    if order not in GREEDY_ORDERS:
        raise ValueError(f"unknown greedy order {order!r}; expected one of {', '.join(GREEDY_ORDERS)}")
    base = PlanState.start(prep)
    row = {sid: j for j, sid in enumerate(tables.ids)}
    state = _ArrayState(prep, base.free, base.room, base.need_left, base.budget, row=row, array=tables.free.copy())
    same_person = order == "same-person"
    queue = sorted(prep.instance.requests, key=lambda r: (r.priority, r.start_week, r.id))
    trials = _keep_published(prep, state, queue, prep.instance.previous_plan)
    previous = people_by_need(list(prep.instance.previous_plan))
    for r in queue:
        trial = trials[r.id]
        if deadline is not None and time.monotonic() > deadline:
            complete = [state.need_left[r.id, i] == 0 for i in range(len(r.needs))]  # out of time: as it is
        else:
            complete = [_fill(tables, state, r, i, trial, previous, same_person) for i in range(len(r.needs))]
        if r.all_or_nothing and not all(complete):
            for key, sid, w, h in trial:
                state.remove(key, sid, w, h)
    return state.assignments()


def _fill(
    tables: Tables,
    state: _ArrayState,
    r: Request,
    i: int,
    trial: list[Cell],
    previous: dict[NeedKey, set[str]],
    same_person: bool,
) -> bool:
    """Give the need what its ranked people's weeks can carry; whether it is then complete."""
    key = (r.id, i)
    if state.need_left[key] == 0:
        return True
    rows, lo, mask = tables.eligible(r, i)
    if not len(rows):
        return False
    room = np.array([state.room.get((r.id, w), 0) for w in range(lo, lo + mask.shape[1])], dtype=np.int32)
    free = (np.minimum(state.array[rows, lo : lo + mask.shape[1]], room) * mask).sum(axis=1)
    on_request = {sid for _, sid, _, _ in trial}
    not_previous = np.zeros(len(rows), dtype=bool)
    not_on = np.zeros(len(rows), dtype=bool)
    if same_person:
        not_previous = ~np.isin(rows, [state.row[s] for s in previous.get(key, ())])
        not_on = ~np.isin(rows, [state.row[s] for s in on_request])
    ranked = np.lexsort((tables.rank[rows], -free, not_on, not_previous, tables.partner[rows]))
    # someone with no free hours in the window now gets none later in this need either: skipped
    for k in ranked[free[ranked] > 0]:
        if place(state, key, tables.ids[rows[k]], (lo + np.flatnonzero(mask[k])).tolist(), trial):
            return True
    return state.need_left[key] == 0
