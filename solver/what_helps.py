"""What would help most: the extra capacity that would fill the most priority-weighted demand the fill LP leaves.

The fill LP of `solver.lp_bound` prices every kind of extra capacity at once:

- a few more pool hours a week from a specialist: the dual value of that specialist's capacity row in a week
  (plus the reduced cost of a column the capacity bounds) is the weighted fill one more hour there adds;
- a bigger partner budget: the dual value of the partner-budget row;
- a specialist trained in a skill to a level: the columns the training would add have a reduced cost of
  the request's weight minus the duals of the rows they enter (capacity, weekly maximum, the need), which
  prices one hour of each.

Each estimate is first-order (exact while the extra is small) and is capped by the weighted demand the LP
leaves unfilled on the needs the capacity can serve. The best few entries are confirmed by solving the fill
LP again with the change made to the instance: the confirmed gain is that LP's value minus the base one.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from solver.instance import Instance, Partner, Request, Specialist
from solver.lp_bound import LpResult, _FillLp, solve_fill_lp, week_block
from solver.prepared import NeedKey, Prepared, prepare

Kind = Literal["skill-level", "more-hours", "partner-budget"]
EPS = 1e-6


@dataclass(frozen=True)
class Help:
    kind: Kind
    specialist: str  # id, "" for the partner budget
    skill: str  # id, "" unless skill-level
    level: int  # the level trained to, 0 unless skill-level
    extra: int  # extra pool hours a week (more-hours) or extra partner budget hours; 0 for skill-level
    estimate: float  # weighted fill the duals say it adds
    estimate_hours: float  # hours the duals say it fills
    confirmed: float | None = None  # weighted fill it adds when the fill LP is solved again with it
    confirmed_hours: float | None = None


class _PricedLp(_FillLp):
    """The fill LP that remembers where its rows are, so that their dual values can be read after the solve."""

    def __init__(self, prep: Prepared, block: int) -> None:
        super().__init__(prep, block, fairness=False, weighted=True)
        self.need_row_at: dict[NeedKey, int] = {}
        self.capacity_rows: dict[tuple[str, int], int] = {}
        self.week_rows: dict[tuple[str, int], int] = {}
        self.budget_row: int | None = None
        self.closed: set[str] = set()

    def add_request(self, r: Request) -> None:
        at, switches = len(self.lp.rows), len(self.switches)
        super().add_request(r)
        if self.switches[switches:] and self.lp.upper[self.switches[-1]] < 0.5:
            self.closed.add(r.id)  # all-or-nothing and not completable: the LP keeps it off
        for i in range(len(r.needs)):  # a need has a row when it is all-or-nothing or has columns
            key = (r.id, i)
            if r.all_or_nothing or any((key, sid) in self.pairs for sid in self.prep.qualified[key]):
                self.need_row_at[key] = at
                at += 1

    def add_shared_limits(self) -> None:
        at = len(self.lp.rows)
        super().add_shared_limits()
        people, weeks = len(self.by_person_week), len(self.by_request_week)
        self.capacity_rows = {k: at + i for i, k in enumerate(self.by_person_week)}
        self.week_rows = {k: at + people + i for i, k in enumerate(self.by_request_week)}
        self.budget_row = at + people + weeks if self.partner_cols else None

    def dual(self, row: int | None) -> float:
        return float(self.lp.duals[row]) if row is not None else 0.0


@dataclass
class _Prices:
    """What the solved fill LP says about the situation."""

    block: int
    value: float
    hours: float
    capacity: dict[tuple[str, int], float]  # weighted fill of one more pool hour of a specialist in a block
    week_dual: dict[tuple[str, int], float]  # request × block: dual of the weekly maximum
    need_dual: dict[NeedKey, float]
    budget: float  # weighted fill of one more partner hour
    unfilled: dict[NeedKey, float]  # open hours the LP leaves
    serves: dict[str, set[NeedKey]]  # the needs a specialist has columns on


def what_helps(instance: Instance, extra_hours: int = 4, extra_budget: int | None = None, top: int = 15,
               confirm: int = 5, frozen_weeks: int = 0) -> list[Help]:
    """Rank extra capacity by the weighted fill it adds, best first; the best `confirm` are re-solved.

    Per skill and level asked by a need the LP leaves unfilled, the one internal specialist whose training
    would add most; per internal specialist, `extra_hours` more pool hours a week; and `extra_budget` more
    partner hours (default: a tenth of the budget, at least 40). The confirmed entries come first, ranked by
    their confirmed gain; the others follow by estimate.
    """
    prep = prepare(instance, frozen_weeks)
    block = week_block(prep)
    prices = _prices(prep, block)
    found = [*_more_hours(prep, prices, extra_hours), *_skills(prep, prices)]
    if instance.partner is not None:
        extra = extra_budget if extra_budget is not None else max(40, instance.partner.budget_hours // 10)
        found += _budget(prep, prices, extra)
    found = _best(sorted((h for h in found if h.estimate > EPS), key=_rank), top)
    checked = [_confirm(instance, frozen_weeks, prices, h) for h in found[:confirm]]
    checked.sort(key=lambda h: (-(h.confirmed or 0.0), *_rank(h)))
    return checked + found[confirm:]


def _best(ranked: list[Help], top: int) -> list[Help]:
    """The best `top` entries, with the best of each kind among them even when it ranks lower."""
    kept = ranked[:top]
    for kind in ("skill-level", "more-hours", "partner-budget"):
        if not any(h.kind == kind for h in kept):
            kept += [h for h in ranked if h.kind == kind][:1]
    return sorted(kept, key=_rank)


def _rank(h: Help) -> tuple[float, str, str, str, int]:
    return -h.estimate, h.kind, h.specialist, h.skill, h.level


def _prices(prep: Prepared, block: int) -> _Prices:
    lp = _PricedLp(prep, block)
    for r in prep.instance.requests:
        lp.add_request(r)
    lp.add_shared_limits()
    result = lp.solve(None, 0)
    capacity = {}
    for (sid, b), row in lp.capacity_rows.items():
        room = lp.lp.rows[row][1]
        # a column whose own bound is the whole capacity carries its part of the price in its reduced cost
        bound = max([float(lp.lp.reduced_costs[x]) for x in lp.by_person_week[sid, b] if lp.lp.upper[x] >= room - EPS]
                    + [0.0])
        capacity[sid, b] = max(0.0, lp.dual(row)) + max(0.0, bound)
    filled: dict[NeedKey, float] = defaultdict(float)
    serves: dict[str, set[NeedKey]] = defaultdict(set)
    for (key, sid), hours in result.support.items():
        filled[key] += hours
        serves[sid].add(key)
    for (key, sid) in lp.pairs:
        serves[sid].add(key)
    # an all-or-nothing request the LP keeps off is priced at nothing: a little extra capacity rarely opens it
    unfilled = {key: left for key in prep.need_keys()
                if key[0] not in lp.closed and (left := prep.open_hours(key) - filled[key]) > EPS}
    return _Prices(
        block, result.value, _hours(result), capacity,
        {k: lp.dual(row) for k, row in lp.week_rows.items()},
        {k: lp.dual(row) for k, row in lp.need_row_at.items()},
        max(0.0, lp.dual(lp.budget_row)), unfilled, serves)


def _hours(result: LpResult) -> float:
    return sum(result.support.values())


def _cap(prep: Prepared, prices: _Prices, keys: set[NeedKey] | list[NeedKey]) -> tuple[float, float]:
    """The weighted and plain hours the LP leaves unfilled on these needs: no extra capacity fills more."""
    left = [(prep.requests[k[0]].weight, prices.unfilled[k]) for k in keys if k in prices.unfilled]
    return sum(w * h for w, h in left), sum(h for _, h in left)


def _weeks(prep: Prepared, b: int, block: int) -> range:
    return range(b * block, min((b + 1) * block, prep.instance.weeks))


def _more_hours(prep: Prepared, prices: _Prices, extra: int) -> list[Help]:
    by_person: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for (sid, b), price in prices.capacity.items():
        by_person[sid].append((b, price))
    out = []
    for sid, blocks in by_person.items():
        if prep.specialists[sid].kind != "internal":
            continue
        paid = [(len(_weeks(prep, b, prices.block)) * extra, price) for b, price in blocks if price > EPS]
        weighted, hours = _cap(prep, prices, prices.serves[sid])
        out.append(Help("more-hours", sid, "", 0, extra, min(weighted, sum(h * p for h, p in paid)),
                        min(hours, sum(h for h, _ in paid))))
    return out


def _budget(prep: Prepared, prices: _Prices, extra: int) -> list[Help]:
    partner = {sid for sid, s in prep.specialists.items() if s.kind == "partner"}
    weighted, hours = _cap(prep, prices, {k for sid in partner for k in prices.serves[sid]})
    if prices.budget <= EPS:
        return []
    return [Help("partner-budget", "", "", 0, extra, min(weighted, prices.budget * extra), min(hours, extra))]


def _skills(prep: Prepared, prices: _Prices) -> list[Help]:
    """Per skill and level asked by an unfilled need, the internal specialist whose training adds most."""
    block, weeks = prices.block, prep.instance.weeks
    blocks = range(-(-weeks // block))
    asked = sorted({(prep.need(k).skill, prep.need(k).min_level) for k in prices.unfilled})
    people = [s for s in prep.instance.specialists if s.kind == "internal"]
    first = prep.frozen_weeks
    out = []
    for skill, level in asked:
        keys = [k for k in prep.need_keys() if prep.need(k).skill == skill and prep.need(k).min_level <= level
                and k in prices.unfilled]
        # the best value of one more hour on these needs per block, before the trainee's own capacity price
        best = [0.0] * len(blocks)
        for key in keys:
            r = prep.requests[key[0]]
            for b in range(max(r.start_week, first) // block, r.end_week // block + 1):
                value = r.weight - prices.week_dual.get((r.id, b), 0.0) - prices.need_dual.get(key, 0.0)
                best[b] = max(best[b], value)
        weighted_cap, hours_cap = _cap(prep, prices, keys)
        pick: Help | None = None
        for s in people:
            if s.level(skill) >= level:
                continue
            weighted = hours = 0.0
            for b in blocks:
                free = sum(prep.free_capacity[s.id, w] for w in _weeks(prep, b, block))
                gain = best[b] - prices.capacity.get((s.id, b), 0.0)
                if gain > EPS and free:
                    weighted, hours = weighted + gain * free, hours + free
            h = Help("skill-level", s.id, skill, level, 0, min(weighted, weighted_cap), min(hours, hours_cap))
            if pick is None or h.estimate > pick.estimate:
                pick = h
        if pick is not None:
            out.append(pick)
    return out


def changed(instance: Instance, h: Help) -> Instance:
    """The instance with the extra capacity of one entry."""
    if h.kind == "partner-budget":
        assert instance.partner is not None
        partner: Partner = dataclasses.replace(instance.partner, budget_hours=instance.partner.budget_hours + h.extra)
        return dataclasses.replace(instance, partner=partner)

    def change(s: Specialist) -> Specialist:
        if s.id != h.specialist:
            return s
        if h.kind == "more-hours":
            return dataclasses.replace(s, pool_hours_per_week=s.pool_hours_per_week + h.extra)
        skills = dict(s.skills) | {h.skill: h.level}
        return dataclasses.replace(s, skills=tuple(sorted(skills.items())))

    return dataclasses.replace(instance, specialists=tuple(change(s) for s in instance.specialists))


def _confirm(instance: Instance, frozen_weeks: int, prices: _Prices, h: Help) -> Help:
    """Solve the fill LP again with the change: the confirmed gain in weighted fill and in hours."""
    again = solve_fill_lp(prepare(changed(instance, h), frozen_weeks), block=prices.block)
    return dataclasses.replace(h, confirmed=max(0.0, again.value - prices.value),
                               confirmed_hours=max(0.0, _hours(again) - prices.hours))
