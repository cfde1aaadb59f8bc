"""The LP relaxation of the fill goal: an upper bound on weighted fill, and each municipality's fillable demand."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from solver.greedy import greedy_assignments
from solver.instance import Instance, Request
from solver.prepared import NeedKey, Prepared, prepare


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
        lp = pywraplp.Solver.CreateSolver("GLOP")
        if lp is None:  # pragma: no cover - GLOP ships with ortools
            raise RuntimeError("GLOP is not available")
        self.lp, self.prep, self.block, self.fairness, self.weighted = lp, prep, block, fairness, weighted
        self.objective = lp.Objective()
        self.constant = 0.0
        self.by_person_week: dict[tuple[str, int], list[pywraplp.Variable]] = defaultdict(list)
        self.by_request_week: dict[tuple[str, int], list[pywraplp.Variable]] = defaultdict(list)
        self.partner_vars: list[pywraplp.Variable] = []
        self.pair_vars: dict[tuple[NeedKey, str], list[pywraplp.Variable]] = defaultdict(list)
        self.cell_vars: list[tuple[tuple[NeedKey, str, int], pywraplp.Variable]] = []
        self.switches: list[pywraplp.Variable] = []
        self.town_vars: dict[str, list[pywraplp.Variable]] = defaultdict(list)
        self.town_fixed: dict[str, int] = defaultdict(int)
        self.weighted_vars: list[tuple[pywraplp.Variable, int]] = []
        self.weighted_fixed = 0

    def add_request(self, r: Request) -> None:
        lp, prep = self.lp, self.prep
        gain = 0 if self.fairness else r.weight if self.weighted else 1
        # an all-or-nothing request that could not be completed even with the pool to itself stays off: its
        # fraction would count hours no plan can give (a window too short for its hours, say)
        z = lp.NumVar(0.0, 1.0 if _completable(prep, r) else 0.0, "") if r.all_or_nothing else None
        if z is not None:
            self.switches.append(z)
        for i, n in enumerate(r.needs):
            key = (r.id, i)
            raw = prep.fixed_need_hours.get(key, 0)
            fixed = min(raw, n.hours)
            self.constant += gain * fixed
            self.town_fixed[r.municipality] += fixed
            self.weighted_fixed += r.weight * fixed
            need_vars = self._columns(r, key, gain)
            if z is not None:
                # filled = hours * z, the fixed part included
                c = lp.Constraint(-raw, -raw)
                for x in need_vars:
                    c.SetCoefficient(x, 1)
                c.SetCoefficient(z, -n.hours)
            elif need_vars:
                c = lp.Constraint(-lp.infinity(), prep.open_hours(key))
                for x in need_vars:
                    c.SetCoefficient(x, 1)

    def _columns(self, r: Request, key: NeedKey, gain: int) -> list[pywraplp.Variable]:
        prep, block = self.prep, self.block
        open_hours = prep.open_hours(key)
        need_vars = []
        for sid in prep.qualified[key]:
            blocks: dict[int, int] = defaultdict(int)
            for w in prep.eligible_weeks.get((key, sid), ()):
                blocks[w // block] += min(prep.free_capacity[sid, w], prep.request_week_room(r.id, w))
            partner = prep.specialists[sid].kind == "partner"
            for w, room in blocks.items():
                ub = min(room, open_hours)
                if ub <= 0:
                    continue
                x = self.lp.NumVar(0.0, ub, "")
                need_vars.append(x)
                self.pair_vars[key, sid].append(x)
                self.town_vars[r.municipality].append(x)
                self.weighted_vars.append((x, r.weight))
                if block == 1:
                    self.cell_vars.append(((key, sid, w), x))
                self.by_person_week[sid, w].append(x)
                self.by_request_week[r.id, w].append(x)
                if partner:
                    self.partner_vars.append(x)
                self.objective.SetCoefficient(x, gain)
        return need_vars

    def add_shared_limits(self) -> None:
        """Capacity per specialist and block, weekly maximum per request and block, the partner budget."""
        lp, prep, block, inf = self.lp, self.prep, self.block, self.lp.infinity()
        for (sid, b), xs in self.by_person_week.items():
            cap = sum(prep.free_capacity.get((sid, w), 0) for w in range(b * block, (b + 1) * block))
            _at_most(lp.Constraint(-inf, cap), xs)
        for (rid, b), xs in self.by_request_week.items():
            r = prep.requests[rid]
            weeks = range(max(b * block, r.start_week), min((b + 1) * block, r.end_week + 1))
            _at_most(lp.Constraint(-inf, sum(prep.request_week_room(rid, w) for w in weeks)), xs)
        if self.partner_vars:
            _at_most(lp.Constraint(-inf, prep.partner_budget_left), self.partner_vars)

    def maximise_worst_share(self, fillable: dict[str, float], min_weighted: float | None) -> None:
        lp, inf = self.lp, self.lp.infinity()
        worst = lp.NumVar(0.0, 1.0, "")
        self.objective.SetCoefficient(worst, 1)
        for town, hours in fillable.items():
            if round(hours) < 1:
                continue
            c = lp.Constraint(-self.town_fixed[town], inf)  # got − worst × fillable ≥ 0
            _at_most(c, self.town_vars[town])
            c.SetCoefficient(worst, -hours)
        if min_weighted is not None:
            c = lp.Constraint(min_weighted - self.weighted_fixed, inf)
            for x, weight in self.weighted_vars:
                c.SetCoefficient(x, weight)

    def solve(self, time_limit: float | None, dive_rounds: int) -> LpResult:
        lp = self.lp
        self.objective.SetMaximization()
        if time_limit is not None:
            lp.SetTimeLimit(max(1, int(time_limit * 1000)))
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            # the relaxation is always feasible (all zero) unless fixed all-or-nothing parts conflict
            return LpResult(value=float("inf"))
        value = self.constant + self.objective.Value()
        support = {}
        for pair, xs in self.pair_vars.items():
            v = sum(x.solution_value() for x in xs)
            if v > 1e-6:
                support[pair] = v
        cells = _dive(lp, self.switches, dive_rounds, self._cells)
        return LpResult(value=value, support=support, cells=cells)

    def _cells(self) -> dict[tuple[NeedKey, str, int], float]:
        return {c: v for c, x in self.cell_vars if (v := x.solution_value()) > 1e-6}


def _at_most(c: pywraplp.Constraint, xs: list[pywraplp.Variable]) -> None:
    """Give every variable coefficient 1 in the constraint."""
    for x in xs:
        c.SetCoefficient(x, 1)


def _dive(
    lp: pywraplp.Solver,
    switches: list[pywraplp.Variable],
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
        fractional = [z for z in switches if 1e-6 < z.solution_value() < 1 - 1e-6]
        if not fractional:
            break
        up = [z for z in fractional if z.solution_value() >= 0.5]
        for z in fractional:
            z.SetBounds(0.0, 0.0)
        for z in up:
            z.SetBounds(1.0, 1.0)
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            for z in up:
                z.SetBounds(0.0, 0.0)
            if lp.Solve() != pywraplp.Solver.OPTIMAL:
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


def fillable_by_municipality(instance: Instance) -> dict[str, float]:
    """Hours each municipality could get with the whole pool to itself (LP), demand nobody can fill left out."""
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
