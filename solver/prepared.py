"""The instance prepared for planning: lookups, fixed assignments, residual capacity, eligibility."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from solver.instance import Assignment, Instance, Need, Request, Specialist
from solver.rules import eligibility
from solver.rules.eligibility import NeedKey


@dataclass
class Prepared:
    """Everything the planners derive from an instance before deciding anything."""

    instance: Instance
    frozen_weeks: int
    requests: dict[str, Request]
    specialists: dict[str, Specialist]
    fixed: list[Assignment]  # pinned, plus previous-plan entries inside the frozen weeks
    free_capacity: dict[tuple[str, int], int]  # (specialist, week) -> hours left after the fixed ones
    fixed_need_hours: dict[NeedKey, int]
    fixed_request_week: dict[tuple[str, int], int]
    partner_budget_left: int
    qualified: dict[NeedKey, list[str]]  # skill at level, partner allowed by the request; any week
    eligible_weeks: dict[tuple[NeedKey, str], list[int]]  # weeks a qualified specialist can still take
    kept: frozenset[str] = frozenset()  # requests a re-plan keeps as published (their entries are fixed)

    def need(self, key: NeedKey) -> Need:
        return self.requests[key[0]].needs[key[1]]

    def open_hours(self, key: NeedKey) -> int:
        """Hours of a need not yet covered by fixed assignments."""
        return max(0, self.need(key).hours - self.fixed_need_hours.get(key, 0))

    def request_week_room(self, rid: str, week: int) -> int:
        r = self.requests[rid]
        return max(0, r.max_hours_per_week - self.fixed_request_week.get((rid, week), 0))

    def week_room(self, rid: str) -> dict[int, int]:
        """The request's room under its weekly maximum, per week of its window."""
        r = self.requests[rid]
        return {w: self.request_week_room(rid, w) for w in range(r.start_week, r.end_week + 1)}

    def need_keys(self) -> list[NeedKey]:
        return [(r.id, i) for r in self.instance.requests for i in range(len(r.needs))]


def is_fixed(a: Assignment, frozen_weeks: int) -> bool:
    return a.pinned or a.week < frozen_weeks


def prepare(instance: Instance, frozen_weeks: int = 0, kept: frozenset[str] = frozenset()) -> Prepared:
    """Derive lookups, the fixed part of the plan and who may work on which need in which weeks.

    `kept` names requests whose previous-plan entries are fixed as well and that take no new hours (a
    re-plan's untouched requests, solver.pipeline.untouched).
    """
    requests = {r.id: r for r in instance.requests}
    specialists = {s.id: s for s in instance.specialists}
    partner = instance.partner
    fixed = [a for a in instance.previous_plan if is_fixed(a, frozen_weeks) or a.request in kept]
    used: dict[tuple[str, int], int] = defaultdict(int)
    need_hours: dict[NeedKey, int] = defaultdict(int)
    request_week: dict[tuple[str, int], int] = defaultdict(int)
    partner_used = 0
    # A fixed (need, specialist, week) cell stays exactly as it is: no further hours on top of it.
    fixed_cells = {(a.request, a.need, a.specialist, a.week) for a in fixed}
    for a in fixed:
        used[a.specialist, a.week] += a.hours
        need_hours[a.request, a.need] += a.hours
        request_week[a.request, a.week] += a.hours
        if specialists[a.specialist].kind == "partner":
            partner_used += a.hours
    free = {
        (s.id, w): max(0, s.capacity(w) - used.get((s.id, w), 0))
        for s in instance.specialists
        for w in range(instance.weeks)
    }
    budget_left = max(0, partner.budget_hours - partner_used) if partner else 0
    qualified, eligible = eligibility.eligible(instance, frozen_weeks, free, fixed_cells, kept)
    return Prepared(
        instance=instance,
        frozen_weeks=frozen_weeks,
        requests=requests,
        specialists=specialists,
        fixed=fixed,
        free_capacity=free,
        fixed_need_hours=dict(need_hours),
        fixed_request_week=dict(request_week),
        partner_budget_left=budget_left,
        qualified=qualified,
        eligible_weeks=eligible,
        kept=kept,
    )
