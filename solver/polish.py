"""A fast local repair before the goal steps: re-plan each need on as few (internal) people as possible.

A few passes over the needs, priority first: a need re-planned late in a pass frees hours that an earlier
one can use on the next (M1000: 1.30 specialists per need after one pass, 1.17 after them).

Each need keeps its exact hours, so fill never drops; every move respects capacity, the weekly maximum and
the partner budget (PlanState). CP-SAT then starts the goal steps from this tidy plan instead of a scattered one.
"""

from __future__ import annotations

from collections import defaultdict

from solver.config import Weights
from solver.model import XKey
from solver.plan_state import PlanState
from solver.prepared import NeedKey, Prepared

Cells = dict[tuple[str, int], int]  # (specialist, week) -> hours, of one need


def polish(
    prep: Prepared,
    hours: dict[XKey, int],
    candidates: dict[NeedKey, list[str]],
    weights: Weights | None = None,
) -> dict[XKey, int]:
    """Return the plan with each need re-assigned to fewer or cheaper people where that is possible.

    A new assignment of a need is taken when it costs less by the goal weights (continuity per person,
    partner cost per euro), so a partner-carried need moves to free internal capacity when that pays.
    """
    weights = weights or Weights()
    state = PlanState.start(prep)
    per_need: dict[NeedKey, Cells] = defaultdict(dict)
    for (key, sid, w), h in hours.items():
        state.add(key, sid, w, h)
        per_need[key][sid, w] = h
    order = sorted(per_need, key=lambda k: (prep.requests[k[0]].priority, k))
    # a need re-planned frees hours that an earlier one can use on the next pass
    for _ in range(PASSES):
        if not any([_replan(state, key, per_need, candidates.get(key, []), weights) for key in order]):
            break
    return dict(state.hours)


PASSES = 3


def _replan(
    state: PlanState, key: NeedKey, per_need: dict[NeedKey, Cells], candidates: list[str], weights: Weights
) -> bool:
    """Take the need out, then fill it again the greedy way; keep whichever costs less; whether it changed."""
    current = per_need[key]
    people = {sid for sid, _ in current}
    if len(people) <= 1 and not any(state.is_partner(sid) for sid in people):
        return False
    _put(state, key, current, -1)
    new = _refill(state, key, candidates, people, sum(current.values()))
    if new is None or _cost(state.prep, weights, new) >= _cost(state.prep, weights, current):
        _put(state, key, new or {}, -1)
        _put(state, key, current, 1)
        return False
    per_need[key] = new
    return True


def _put(state: PlanState, key: NeedKey, cells: Cells, sign: int) -> None:
    for (sid, w), h in cells.items():
        if sign > 0:
            state.add(key, sid, w, h)
        else:
            state.remove(key, sid, w, h)


def _refill(state: PlanState, key: NeedKey, candidates: list[str], people: set[str], total: int) -> Cells | None:
    """Give the need its `total` hours again, the fewest and internal people first; None if they do not fit
    (what was placed stays in the state, for the caller to take out)."""
    prep = state.prep
    ranked = sorted(
        (state.is_partner(sid), -min(total, state.free_in_window(key, sid)), sid not in people, sid)
        for sid in candidates
        if (key, sid) in prep.eligible_weeks
    )
    new: Cells = {}
    left = total
    for *_, sid in ranked:
        for w in prep.eligible_weeks[key, sid]:
            h = min(left, state.fits(key, sid, w))
            if h > 0:
                state.add(key, sid, w, h)
                new[sid, w] = h
                left -= h
            if left == 0:
                return new
    _put(state, key, new, -1)
    return None


def _cost(prep: Prepared, weights: Weights, cells: Cells) -> int:
    people = {sid for sid, _ in cells}
    people_of = prep.specialists
    euros = sum(h * people_of[sid].hourly_cost for (sid, _), h in cells.items() if people_of[sid].kind == "partner")
    return weights.continuity * len(people) + weights.partner_cost * euros
