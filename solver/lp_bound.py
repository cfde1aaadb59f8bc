"""The LP relaxation of the fill goal: an upper bound on weighted fill, and each municipality's fillable demand."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from solver.greedy import greedy_assignments
from solver.instance import Instance, Request
from solver.prepared import NeedKey, Prepared, prepare
from solver.sparse_lp import INF, SparseLp


@dataclass
class LpResult:
    value: float  # objective, fixed assignments included
    support: dict[tuple[NeedKey, str], float] = field(default_factory=dict)  # LP hours per need × specialist
    cells: dict[tuple[NeedKey, str, int], float] = field(default_factory=dict)  # LP hours per week (block 1 only)


MAX_COLUMNS = 700_000  # beyond this, weeks are merged into blocks so the LP stays quick to build and solve


def week_block(prep: Prepared, max_columns: int = MAX_COLUMNS) -> int:
    """Return how many weeks to merge per LP column so the LP has at most about `max_columns` columns.

    Merging weeks (summing capacity and weekly maxima over the block) relaxes the problem further, so the
    value stays a valid upper bound; it is only looser.
    """
    columns = sum(len(w) for w in prep.eligible_weeks.values())
    return max(1, -(-columns // max_columns))


# GLOP's seconds on the weekly LP of the generated instances (one core; M with 1,000 to 2,500 requests: 195,000
# to 487,000 columns, 1 s to over a minute) grow with the square of the columns and steeply with how much of
# the free capacity the demand asks (the load): seconds ≈ A × columns² × e^(B × load)
LP_SECONDS_A = 1.0e-11
LP_SECONDS_B = 3.2


def predicted_lp_seconds(prep: Prepared) -> float:
    """Seconds the weekly fill LP (one column per need × specialist × week) is expected to take."""
    columns = sum(len(w) for w in prep.eligible_weeks.values())
    demand = sum(prep.open_hours(key) for key in prep.need_keys())
    partner = {sid for sid, s in prep.specialists.items() if s.kind == "partner"}
    free = sum(h for (sid, _), h in prep.free_capacity.items() if sid not in partner)
    free += min(prep.partner_budget_left, sum(h for (sid, _), h in prep.free_capacity.items() if sid in partner))
    load = demand / max(1, free)  # the partner's hours count only as far as its budget goes
    return LP_SECONDS_A * columns**2 * math.exp(LP_SECONDS_B * min(load, 10.0))


def lp_block(prep: Prepared, seconds: float) -> int:
    """Weeks per column of the planner's fill LP: 1 (the weekly LP, whose cells round to a start plan) where
    it is predicted to finish within `seconds`; else every week of the horizon in one block, one column per
    need × specialist pair: a valid, looser bound that takes seconds, not minutes, and still guides the
    LP-guided start plan and the candidates."""
    columns = sum(len(w) for w in prep.eligible_weeks.values())
    if columns <= MAX_COLUMNS and predicted_lp_seconds(prep) <= seconds:
        return 1
    return max(1, prep.instance.weeks)


def lp_bound(instance: Instance, frozen_weeks: int = 0) -> float:
    """Return the LP-relaxation bound of the priority-weighted fill (all-or-nothing relaxed to a fraction)."""
    prep = prepare(instance, frozen_weeks)
    return solve_fill_lp(prep, block=week_block(prep)).value


def solve_fill_lp(
    prep: Prepared,
    request_ids: set[str] | None = None,
    weighted: bool = True,
    block: int = 1,
    time_limit: float | None = None,
    dive_rounds: int = 0,
    worst_of: dict[str, float] | None = None,
    min_weighted: float | None = None,
) -> LpResult:
    """Maximise (weighted) fill of the given requests over the continuous relaxation.

    With `worst_of` (each municipality's fillable hours), maximise instead the worst municipality's share of
    it: an upper bound on the fairness any plan can reach; `min_weighted` then asks at least that weighted fill.

    With `dive_rounds`, the all-or-nothing switches the optimum left fractional are then rounded (to 1 from
    one half up, else to 0) and the LP solved again, warm, up to that many times: the cells then come from a
    solution that rounds to a nearly complete plan, while the value stays the first solve's bound.
    """
    lp = _FillLp(prep, block, worst_of is not None, weighted)
    for r in prep.instance.requests:
        if request_ids is None or r.id in request_ids:
            lp.add_request(r)
    lp.add_shared_limits()
    if worst_of is not None:
        lp.maximise_worst_share(worst_of, min_weighted)
    return lp.solve(time_limit, dive_rounds)


class _FillLp:
    """The relaxation under construction: one column per need × qualified specialist × block of weeks."""

    def __init__(self, prep: Prepared, block: int, fairness: bool, weighted: bool) -> None:
        self.lp, self.prep, self.block, self.fairness, self.weighted = SparseLp(), prep, block, fairness, weighted
        self.constant = 0.0
        self.by_person_week: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.by_request_week: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.partner_cols: list[int] = []
        self.pairs: dict[tuple[NeedKey, str], int] = {}  # pair -> its number
        self.pair_of: list[int] = []  # per column of hours: its pair's number
        self.hour_cols: list[int] = []
        self.cells: list[tuple[NeedKey, str, int]] = []  # per column of hours (block 1 only)
        self.switches: list[int] = []
        self.town_cols: dict[str, list[int]] = defaultdict(list)
        self.town_fixed: dict[str, int] = defaultdict(int)
        self.weights: list[int] = []  # per column of hours: its request's weight
        self.weighted_fixed = 0

    def add_request(self, r: Request) -> None:
        prep = self.prep
        gain = 0 if self.fairness else r.weight if self.weighted else 1
        # an all-or-nothing request that could not be completed even with the pool to itself stays off: its
        # fraction would count hours no plan can give (a window too short for its hours, say)
        z = self.lp.column(1.0 if _completable(prep, r) else 0.0) if r.all_or_nothing else None
        if z is not None:
            self.switches.append(z)
        room = prep.week_room(r.id)
        for i, n in enumerate(r.needs):
            key = (r.id, i)
            raw = prep.fixed_need_hours.get(key, 0)
            fixed = min(raw, n.hours)
            self.constant += gain * fixed
            self.town_fixed[r.municipality] += fixed
            self.weighted_fixed += r.weight * fixed
            need_cols = self._columns(r, key, gain, room)
            if z is not None:
                # filled = hours * z, the fixed part included
                self.lp.row(-raw, -raw, [*need_cols, z], [1.0] * len(need_cols) + [-float(n.hours)])
            elif need_cols:
                self.lp.row(-INF, prep.open_hours(key), need_cols)

    def _columns(self, r: Request, key: NeedKey, gain: int, room: dict[int, int]) -> list[int]:
        prep, block, free = self.prep, self.block, self.prep.free_capacity
        open_hours = prep.open_hours(key)
        need_cols: list[int] = []
        for sid in prep.qualified[key]:
            weeks = prep.eligible_weeks.get((key, sid))
            if not weeks:
                continue
            if block == 1:
                cells = [(w, ub) for w in weeks if (ub := min(free[sid, w], room[w], open_hours)) > 0]
            else:
                blocks: dict[int, int] = defaultdict(int)
                for w in weeks:
                    blocks[w // block] += min(free[sid, w], room[w])
                cells = [(b, ub) for b, hours in blocks.items() if (ub := min(hours, open_hours)) > 0]
            if not cells:
                continue
            xs = self.lp.columns([float(ub) for _, ub in cells], gain)
            self._place(r, key, sid, xs, [w for w, _ in cells])
            need_cols.extend(xs)
        return need_cols

    def _place(self, r: Request, key: NeedKey, sid: str, xs: range, blocks: list[int]) -> None:
        """File a pair's new columns under the rows and figures they count in."""
        pair = self.pairs.setdefault((key, sid), len(self.pairs))
        self.hour_cols.extend(xs)
        self.pair_of.extend([pair] * len(xs))
        self.town_cols[r.municipality].extend(xs)
        self.weights.extend([r.weight] * len(xs))
        if self.block == 1:
            self.cells.extend((key, sid, w) for w in blocks)
        for x, b in zip(xs, blocks, strict=True):
            self.by_person_week[sid, b].append(x)
            self.by_request_week[r.id, b].append(x)
        if self.prep.specialists[sid].kind == "partner":
            self.partner_cols.extend(xs)

    def add_shared_limits(self) -> None:
        """Capacity per specialist and block, weekly maximum per request and block, the partner budget."""
        prep, block = self.prep, self.block
        for (sid, b), xs in self.by_person_week.items():
            cap = sum(prep.free_capacity.get((sid, w), 0) for w in range(b * block, (b + 1) * block))
            self.lp.row(-INF, cap, xs)
        for (rid, b), xs in self.by_request_week.items():
            r = prep.requests[rid]
            weeks = range(max(b * block, r.start_week), min((b + 1) * block, r.end_week + 1))
            self.lp.row(-INF, sum(prep.request_week_room(rid, w) for w in weeks), xs)
        if self.partner_cols:
            self.lp.row(-INF, prep.partner_budget_left, self.partner_cols)

    def maximise_worst_share(self, fillable: dict[str, float], min_weighted: float | None) -> None:
        worst = self.lp.column(1.0, 1.0)
        for town, hours in fillable.items():
            if round(hours) < 1:
                continue
            xs = self.town_cols[town]  # got − worst × fillable ≥ 0
            self.lp.row(-self.town_fixed[town], INF, [*xs, worst], [1.0] * len(xs) + [-hours])
        if min_weighted is not None:
            self.lp.row(min_weighted - self.weighted_fixed, INF, self.hour_cols, [float(w) for w in self.weights])

    def solve(self, time_limit: float | None, dive_rounds: int) -> LpResult:
        if not self.lp.solve(time_limit):
            # the relaxation is always feasible (all zero) unless fixed all-or-nothing parts conflict
            return LpResult(value=float("inf"))
        value = self.constant + self.lp.objective
        hours = self.lp.values[np.asarray(self.hour_cols, dtype=np.int64)]
        per_pair = np.bincount(np.asarray(self.pair_of, dtype=np.int64), weights=hours, minlength=len(self.pairs))
        pairs = list(self.pairs)
        support = {pairs[k]: float(per_pair[k]) for k in np.flatnonzero(per_pair > 1e-6)}
        # the dives only choose the cells a start plan is rounded from: with weeks merged there are none
        cells = _dive(self.lp, self.switches, dive_rounds, self._cells) if self.block == 1 else {}
        return LpResult(value=value, support=support, cells=cells)

    def _cells(self) -> dict[tuple[NeedKey, str, int], float]:
        if not self.cells:
            return {}
        hours = self.lp.values[np.asarray(self.hour_cols, dtype=np.int64)]
        return {self.cells[k]: float(hours[k]) for k in np.flatnonzero(hours > 1e-6)}


def _dive(
    lp: SparseLp,
    switches: list[int],
    rounds: int,
    read: Callable[[], dict[tuple[NeedKey, str, int], float]],
) -> dict[tuple[NeedKey, str, int], float]:
    """Round fractional all-or-nothing switches and re-solve; return the cells of the last solution found.

    A rounding the LP cannot carry (a switch set to 1 that does not fit, or a floor on the fill that needs
    the switches off) is undone by switching the rounded-up ones off instead; if that fails too, or the time
    runs out, the previous solution stands.
    """
    cells = read()
    for _ in range(rounds):
        fractional = [z for z in switches if 1e-6 < lp.values[z] < 1 - 1e-6]
        if not fractional:
            break
        up = [z for z in fractional if lp.values[z] >= 0.5]
        lp.set_bounds(fractional, 0.0, 0.0)
        lp.set_bounds(up, 1.0, 1.0)
        if not lp.solve():
            lp.set_bounds(up, 0.0, 0.0)
            if not lp.solve():
                break
        cells = read()
    return cells


def fairness_bound(
    instance: Instance,
    fillable: dict[str, float],
    min_weighted: float | None = None,
    frozen_weeks: int = 0,
    time_limit: float | None = None,
) -> float:
    """Return the highest worst-municipality share of fillable demand that the LP relaxation allows.

    With `min_weighted`, only among plans with at least that weighted fill (e.g. the greedy plan's).
    Infinite when the LP does not finish within `time_limit` seconds.
    """
    prep = prepare(instance, frozen_weeks)
    block = week_block(prep)
    return solve_fill_lp(prep, block=block, worst_of=fillable, min_weighted=min_weighted, time_limit=time_limit).value


def fillable_by_municipality(instance: Instance, prep: Prepared | None = None) -> dict[str, float]:
    """Hours each municipality could get with the whole pool to itself (LP), demand nobody can fill left out.

    `prep` is the instance prepared already, used when it has no previous plan and no frozen weeks (it is
    then the one this would prepare).
    """
    if prep is None or prep.instance is not instance or prep.instance.previous_plan or prep.frozen_weeks:
        prep = prepare(Instance(**{**instance.__dict__, "previous_plan": ()}))
    towns: dict[str, set[str]] = defaultdict(set)
    for r in instance.requests:
        towns[r.municipality].add(r.id)
    # the LPs together are as large as the whole one; merge weeks just as lp_bound does on big instances
    block = week_block(prep)
    out = {}
    for m, ids in towns.items():
        # a municipality alone rarely exhausts the pool: when the greedy plan reaches a simple upper bound,
        # that is the exact LP's value too (greedy ≤ LP ≤ bound), and building the LP is the slow part (on
        # big instances, whose LPs merge weeks, it is then even tighter than the LP would be)
        reached = sum(a.hours for a in greedy_assignments(prep, request_ids=ids))
        if reached == _simple_bound(prep, ids):
            out[m] = float(reached)
        else:
            out[m] = solve_fill_lp(prep, ids, weighted=False, block=block).value
    return out


def _simple_bound(prep: Prepared, request_ids: set[str]) -> int:
    """Hours the requests could get if every qualified specialist's free week served each need on its own."""
    return sum(
        min(sum(per_need), room) for per_need, room in (_request_bound(prep, prep.requests[rid]) for rid in request_ids)
    )


def _completable(prep: Prepared, r: Request) -> bool:
    """Whether the request's open hours fit its window, weekly maximum and qualified people's free hours."""
    per_need, room = _request_bound(prep, r)
    open_hours = [prep.open_hours((r.id, i)) for i in range(len(r.needs))]
    return all(b >= h for b, h in zip(per_need, open_hours, strict=True)) and room >= sum(open_hours)


def _request_bound(prep: Prepared, r: Request) -> tuple[list[int], int]:
    """Per need, the open hours its qualified people's free weeks could carry alone; and the weekly room in all."""
    room = {w: prep.request_week_room(r.id, w) for w in range(r.start_week, r.end_week + 1)}
    per_need = []
    for i in range(len(r.needs)):
        supply: dict[int, int] = defaultdict(int)
        for sid in prep.qualified[r.id, i]:
            for w in prep.eligible_weeks.get(((r.id, i), sid), ()):
                supply[w] += prep.free_capacity[sid, w]
        per_need.append(min(prep.open_hours((r.id, i)), sum(min(room[w], h) for w, h in supply.items())))
    return per_need, sum(room.values())
