"""The coordinator's greedy orders on arrays: `solver.greedy`'s plan, with each need's people ranked at once.

The same algorithm as `solver.greedy.greedy_assignments` (priority first, then the earliest start; the
published plan kept where it fits; internal before the partner; all-or-nothing rolled back), on the same
`PlanState` for the hard rules; only the ranking of a need's qualified people is one numpy sort instead of a
Python loop over them. The planner's start plans and the baseline use it at every scale (at national scale
nothing else would do); `solver.greedy` stays the reference, and tests/solver/test_national.py and
tests/solver/test_array_greedy.py check the plans are the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from solver.greedy import GREEDY_ORDERS, Cell, _keep_published, place
from solver.instance import Assignment, Request
from solver.national.tables import Tables, build_tables
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


def greedy_orders(prep: Prepared, tables: Tables | None = None) -> dict[str, list[Assignment]]:
    """Each coordinator order's plan (new assignments only), by the order's name."""
    tables = tables or build_tables(prep.instance, prep.frozen_weeks)
    return {order: national_greedy(tables, prep, order) for order in GREEDY_ORDERS}


def national_greedy(
    tables: Tables,
    prep: Prepared,
    order: str = "same-person",
    deadline: float | None = None,
    prefer: dict[tuple[NeedKey, str], float] | None = None,
) -> list[Assignment]:
    """The greedy plan's new assignments (fixed ones excluded) in one of `solver.greedy.GREEDY_ORDERS`.

    `prep` must list the eligible weeks of the previous plan's pairs (the published plan is kept first). At
    the `deadline` (time.monotonic) the requests not reached yet keep only what the published plan gave them.
    `prefer` (hours per need × specialist, e.g. from the LP optimum) ranks a need's people before anything
    else, as in `solver.greedy.greedy_assignments`.
    """
    if order not in GREEDY_ORDERS:
        raise ValueError(f"unknown greedy order {order!r}; expected one of {', '.join(GREEDY_ORDERS)}")
    base = PlanState.start(prep)
    row = {sid: j for j, sid in enumerate(tables.ids)}
    state = _ArrayState(prep, base.free, base.room, base.need_left, base.budget, row=row, array=tables.free.copy())
    ask = _Ranking(tables, state, people_by_need(list(prep.instance.previous_plan)), order == "same-person",
                   _preferred_rows(prefer or {}, row))
    queue = sorted(prep.instance.requests, key=lambda r: (r.priority, r.start_week, r.id))
    trials = _keep_published(prep, state, queue, prep.instance.previous_plan)
    for r in queue:
        trial = trials[r.id]
        if deadline is not None and time.monotonic() > deadline:
            complete = [state.need_left[r.id, i] == 0 for i in range(len(r.needs))]  # out of time: as it is
        else:
            complete = [ask.fill(r, i, trial) for i in range(len(r.needs))]
        if r.all_or_nothing and not all(complete):
            for key, sid, w, h in trial:
                state.remove(key, sid, w, h)
    return state.assignments()


def _preferred_rows(
    prefer: dict[tuple[NeedKey, str], float], row: dict[str, int]
) -> dict[NeedKey, tuple[np.ndarray, np.ndarray]]:
    """Per need, the rows it prefers (ascending) and how much it prefers each."""
    by_need: dict[NeedKey, dict[int, float]] = {}
    for (key, sid), value in prefer.items():
        if value and sid in row:
            by_need.setdefault(key, {})[row[sid]] = value
    out = {}
    for key, values in by_need.items():
        rows = np.array(sorted(values), dtype=np.int64)
        out[key] = (rows, np.array([values[int(j)] for j in rows], dtype=float))
    return out


@dataclass
class _Ranking:
    """Whom the coordinator asks first for a need (`solver.greedy._Asking`'s order, one numpy sort)."""

    tables: Tables
    state: _ArrayState
    previous: dict[NeedKey, set[str]]
    same_person: bool
    prefer: dict[NeedKey, tuple[np.ndarray, np.ndarray]]

    def fill(self, r: Request, i: int, trial: list[Cell]) -> bool:
        """Give the need what its ranked people's weeks can carry; whether it is then complete."""
        key, state, tables = (r.id, i), self.state, self.tables
        if state.need_left[key] == 0:
            return True
        rows, lo, mask = tables.eligible(r, i)
        if not len(rows):
            return False
        room = np.array([state.room.get((r.id, w), 0) for w in range(lo, lo + mask.shape[1])], dtype=np.int32)
        free = (np.minimum(state.array[rows, lo : lo + mask.shape[1]], room) * mask).sum(axis=1)
        ranked = np.lexsort((tables.rank[rows], -free, *self._asked_first(key, rows, trial)))
        # someone with no free hours in the window now gets none later in this need either: skipped
        for k in ranked[free[ranked] > 0]:
            if place(state, key, tables.ids[rows[k]], (lo + np.flatnonzero(mask[k])).tolist(), trial):
                return True
        return state.need_left[key] == 0

    def _asked_first(self, key: NeedKey, rows: np.ndarray, trial: list[Cell]) -> list[np.ndarray]:
        """The sort keys before free hours, the last the most significant: same person, internal, preferred."""
        state = self.state
        not_previous = np.zeros(len(rows), dtype=bool)
        not_on = np.zeros(len(rows), dtype=bool)
        if self.same_person:
            not_previous = ~np.isin(rows, [state.row[s] for s in self.previous.get(key, ())])
            not_on = ~np.isin(rows, [state.row[s] for _, s, _, _ in trial])
        preferred = np.zeros(len(rows), dtype=float)
        if key in self.prefer:
            them, values = self.prefer[key]
            at = np.searchsorted(rows, them)
            found = (at < len(rows)) & (rows[np.minimum(at, len(rows) - 1)] == them)
            preferred[at[found]] = values[found]
        return [not_on, not_previous, self.tables.partner[rows], -preferred]
