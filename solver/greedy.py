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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from solver.instance import Assignment, Request
from solver.plan_state import PlanState, people_by_need
from solver.prepared import NeedKey, Prepared, is_fixed

GREEDY_ORDERS = ("same-person", "most-free-hours")


def greedy_assignments(
    prep: Prepared,
    prefer: dict[tuple[NeedKey, str], float] | None = None,
    request_ids: set[str] | None = None,
    order: str = "same-person",
    keep_first: Sequence[Assignment] | None = None,
) -> list[Assignment]:
    """Return the greedy plan's new assignments (the fixed ones excluded).

    `prefer` (hours per need × specialist, e.g. from the LP optimum) ranks the specialists of a need before
    anything else; without it, this is the coordinator's spreadsheet. `request_ids` plans only those requests,
    as if the pool were theirs alone. `order` is one of GREEDY_ORDERS. `keep_first` is the plan kept where
    it still fits before anything else is filled, and whose people a need asks first (default: the published
    plan, the instance's previous plan).
    """
    if order not in GREEDY_ORDERS:
        raise ValueError(f"unknown greedy order {order!r}; expected one of {', '.join(GREEDY_ORDERS)}")
    state = PlanState.start(prep, request_ids)
    chosen = [r for r in prep.instance.requests if request_ids is None or r.id in request_ids]
    queue = sorted(chosen, key=lambda r: (r.priority, r.start_week, r.id))
    # first keep what the published plan already promised, where it still fits, for every request
    kept = prep.instance.previous_plan if keep_first is None else keep_first
    trials = _keep_published(prep, state, queue, kept)
    previous_people = people_by_need(list(kept))
    ask = _Asking(prep, state, prefer or {}, previous_people, order == "same-person")
    # then fill the rest: priority first, earliest start, internal before the partner, in the order's way
    for r in queue:
        trial = trials[r.id]
        complete = [ask.fill(r, i, trial) for i in range(len(r.needs))]
        if r.all_or_nothing and not all(complete):
            for key, sid, w, h in trial:
                state.remove(key, sid, w, h)
    return state.assignments()


Cell = tuple[NeedKey, str, int, int]  # need, specialist, week, hours


def _keep_published(
    prep: Prepared, state: PlanState, queue: list[Request], published: Sequence[Assignment]
) -> dict[str, list[Cell]]:
    """Take the published plan's open entries where they still fit; return what each request got."""
    trials: dict[str, list[Cell]] = {r.id: [] for r in queue}
    open_entries: dict[str, list[Assignment]] = defaultdict(list)
    for a in published:
        if not is_fixed(a, prep.frozen_weeks):
            open_entries[a.request].append(a)
    for r in queue:
        for a in open_entries.get(r.id, []):
            key = (r.id, a.need)
            if a.week not in prep.eligible_weeks.get((key, a.specialist), ()):
                continue
            h = min(a.hours, state.fits(key, a.specialist, a.week))
            if h > 0:
                state.add(key, a.specialist, a.week, h)
                trials[r.id].append((key, a.specialist, a.week, h))
    return trials


@dataclass
class _Asking:
    """Whom the coordinator asks first for a need, and how the hours are taken."""

    prep: Prepared
    state: PlanState
    prefer: dict[tuple[NeedKey, str], float]
    previous_people: dict[NeedKey, set[str]]
    same_person: bool

    def fill(self, r: Request, i: int, trial: list[Cell]) -> bool:
        """Give the need what its ranked people's weeks can carry; whether it is then complete."""
        key, state = (r.id, i), self.state
        on_request = {sid for _, sid, _, _ in trial}
        for sid in self.ranked(key, on_request):
            placed = len(trial)
            full = place(state, key, sid, self.prep.eligible_weeks[key, sid], trial)
            if len(trial) > placed:
                on_request.add(sid)
            if full:
                return True
        return state.need_left[key] == 0

    def ranked(self, key: NeedKey, on_request: set[str]) -> list[str]:
        if self.state.need_left[key] == 0:
            return []
        same = self.same_person
        ranks = sorted(
            (
                -self.prefer.get((key, sid), 0.0),
                self.state.is_partner(sid),
                same and sid not in self.previous_people.get(key, ()),
                same and sid not in on_request,
                -self.state.free_in_window(key, sid),
                sid,
            )
            for sid in self.prep.qualified[key]
            if (key, sid) in self.prep.eligible_weeks
        )
        return [rank[-1] for rank in ranks]


def place(state: PlanState, key: NeedKey, sid: str, weeks: Iterable[int], trial: list[Cell]) -> bool:
    """Give a need what one specialist's weeks can carry, week by week, within every rule; whether it is full."""
    for w in weeks:
        if state.need_left[key] == 0:
            return True
        h = state.fits(key, sid, w)
        if h > 0:
            state.add(key, sid, w, h)
            trial.append((key, sid, w, h))
    return state.need_left[key] == 0
