"""An independent check of any plan against an instance, and the KPIs recomputed from scratch.

Written apart from the planners on purpose: it imports only the input dataclasses, so a bug in the model
cannot hide itself here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from solver.instance import PRIORITY_WEIGHT, Assignment, Instance, Request


@dataclass(frozen=True)
class Violation:
    """One breach of a hard rule: the rule's code, the facts that show it, and a sentence in English."""

    rule: str
    facts: dict[str, Any]
    text: str

    @property
    def key(self) -> tuple[str, str]:
        """What the breach is about, without its numbers: the same breach before and after a change."""
        about = {k: v for k, v in self.facts.items() if k not in ("hours", "limit", "level", "got")}
        return self.rule, repr(sorted(about.items()))


def validate(instance: Instance, assignments: Iterable[Assignment], frozen_weeks: int = 0) -> list[str]:
    """Return every hard-rule violation of the plan (empty if the plan is valid)."""
    return [v.text for v in violations(instance, assignments, frozen_weeks)]


def violations(instance: Instance, assignments: Iterable[Assignment], frozen_weeks: int = 0) -> list[Violation]:
    """Return every hard-rule breach of the plan, with its rule and facts (empty if the plan is valid)."""
    check = _Check(instance, frozen_weeks)
    for a in assignments:
        check.assignment(a)
    check.fixed_kept()
    check.limits()
    check.all_or_nothing()
    return check.errors


Cell = tuple[str, int, str, int]  # request, need, specialist, week


class _Check:
    """The breaches found so far, and the plan's hours summed the ways the limits need them."""

    def __init__(self, instance: Instance, frozen_weeks: int) -> None:
        self.instance, self.frozen_weeks = instance, frozen_weeks
        self.requests = {r.id: r for r in instance.requests}
        self.people = {s.id: s for s in instance.specialists}
        self.errors: list[Violation] = []
        self.seen: dict[Cell, int] = {}
        self.per_person_week: dict[tuple[str, int], int] = defaultdict(int)
        self.per_request_week: dict[tuple[str, int], int] = defaultdict(int)
        self.per_need: dict[tuple[str, int], int] = defaultdict(int)
        self.partner_hours = 0
        self.fixed = [p for p in instance.previous_plan if p.pinned or p.week < frozen_weeks]

    def breach(self, rule: str, text: str, **facts: Any) -> None:
        self.errors.append(Violation(rule, facts, text))

    def assignment(self, a: Assignment) -> None:
        """The rules one assignment can break on its own; then count its hours."""
        where = f"{a.request}/{a.need}/{a.specialist}/week {a.week}"
        at = {"request": a.request, "need": a.need, "specialist": a.specialist, "week": a.week}
        r = self.requests.get(a.request)
        s = self.people.get(a.specialist)
        if r is None or s is None or not 0 <= a.need < len(r.needs):
            self.breach("unknown", f"{where}: unknown request, need or specialist", **at)
            return
        key = (a.request, a.need, a.specialist, a.week)
        if key in self.seen:
            self.breach("duplicate", f"{where}: listed twice", **at)
        self.seen[key] = a.hours
        if not isinstance(a.hours, int) or a.hours < 1:
            self.breach("hours", f"{where}: hours must be a whole number >= 1, got {a.hours}", **at, hours=a.hours)
        need = r.needs[a.need]
        if s.level(need.skill) < need.min_level:
            self.breach(
                "skill-level",
                f"{where}: level {s.level(need.skill)} in {need.skill} below {need.min_level}",
                **at,
                skill=need.skill,
                level=s.level(need.skill),
                min_level=need.min_level,
            )
        if not r.start_week <= a.week <= r.end_week:
            self.breach(
                "window",
                f"{where}: outside the window {r.start_week}-{r.end_week}",
                **at,
                start_week=r.start_week,
                end_week=r.end_week,
            )
        if s.kind == "partner":
            self.partner(a, r, where, at)
        self.per_person_week[a.specialist, a.week] += a.hours
        self.per_request_week[a.request, a.week] += a.hours
        self.per_need[a.request, a.need] += a.hours

    def partner(self, a: Assignment, r: Request, where: str, at: dict[str, Any]) -> None:
        """A partner specialist's assignment: contract, notice, the request's permission."""
        self.partner_hours += a.hours
        contract = self.instance.partner
        if contract is None:
            self.breach("partner-contract", f"{where}: partner specialist but no partner contract", **at)
        elif a.week < contract.min_notice_weeks:
            self.breach(
                "partner-notice",
                f"{where}: partner before its notice of {contract.min_notice_weeks} weeks",
                **at,
                notice_weeks=contract.min_notice_weeks,
            )
        if not r.allow_partner:
            self.breach("partner-not-allowed", f"{where}: request does not allow the partner", **at)

    def fixed_kept(self) -> None:
        """Pinned and frozen assignments exactly as they were; nothing new inside the frozen weeks."""
        for p in self.fixed:
            if self.seen.get((p.request, p.need, p.specialist, p.week)) != p.hours:
                kind = "pinned" if p.pinned else "frozen"
                self.breach(
                    f"{kind}-changed",
                    f"{kind} assignment {p.request}/{p.need}/{p.specialist}/week {p.week} changed",
                    request=p.request,
                    need=p.need,
                    specialist=p.specialist,
                    week=p.week,
                    hours=p.hours,
                )
        previous = {(p.request, p.need, p.specialist, p.week) for p in self.instance.previous_plan}
        for key in self.seen:
            if key[3] < self.frozen_weeks and key not in previous:
                self.breach(
                    "frozen-new",
                    f"{key[0]}/{key[1]}/{key[2]}/week {key[3]}: new assignment inside the frozen weeks",
                    request=key[0],
                    need=key[1],
                    specialist=key[2],
                    week=key[3],
                    frozen_weeks=self.frozen_weeks,
                )

    def limits(self) -> None:
        """Capacity, weekly maximum, need hours and the partner budget."""
        # Fixed assignments may exceed a limit that changed after they were made; they excuse only themselves.
        fixed_person_week: dict[tuple[str, int], int] = defaultdict(int)
        fixed_request_week: dict[tuple[str, int], int] = defaultdict(int)
        for p in self.fixed:
            fixed_person_week[p.specialist, p.week] += p.hours
            fixed_request_week[p.request, p.week] += p.hours
        for (sid, w), hours in self.per_person_week.items():
            limit = max(self.people[sid].capacity(w), fixed_person_week.get((sid, w), 0))
            if hours > limit:
                text = f"specialist {sid} week {w}: {hours} h planned, capacity {limit} h"
                self.breach("capacity", text, specialist=sid, week=w, hours=hours, limit=limit)
        for (rid, w), hours in self.per_request_week.items():
            limit = max(self.requests[rid].max_hours_per_week, fixed_request_week.get((rid, w), 0))
            if hours > limit:
                text = f"request {rid} week {w}: {hours} h planned, weekly maximum {limit} h"
                self.breach("weekly-maximum", text, request=rid, week=w, hours=hours, limit=limit)
        for (rid, i), hours in self.per_need.items():
            asked = self.requests[rid].needs[i].hours
            if hours > asked:
                text = f"request {rid} need {i}: {hours} h planned, only {asked} asked"
                self.breach("need-hours", text, request=rid, need=i, hours=hours, limit=asked)
        contract = self.instance.partner
        if contract is not None and self.partner_hours > contract.budget_hours:
            text = f"partner: {self.partner_hours} h planned, budget {contract.budget_hours} h"
            self.breach("partner-budget", text, hours=self.partner_hours, limit=contract.budget_hours)

    def all_or_nothing(self) -> None:
        fixed_requests = {p.request for p in self.fixed}
        for r in self.instance.requests:
            # hours fixed earlier cannot be taken back, so such a request may stay partly filled
            if not r.all_or_nothing or r.id in fixed_requests:
                continue
            got = [self.per_need.get((r.id, i), 0) for i in range(len(r.needs))]
            if sum(got) > 0 and any(g < n.hours for g, n in zip(got, r.needs, strict=True)):
                self.breach(
                    "all-or-nothing",
                    f"request {r.id}: all-or-nothing but only partly filled",
                    request=r.id,
                    got=sum(got),
                    hours=sum(n.hours for n in r.needs),
                )


def compute_kpis(
    instance: Instance,
    assignments: Iterable[Assignment],
    fillable: Mapping[str, float] | None = None,
    frozen_weeks: int = 0,
) -> dict[str, float | int]:
    """Recompute the plan's KPIs from the assignments alone.

    `fillable` maps a municipality to the hours it could get with the pool to itself; when given, the
    municipality fill ratios are measured on it (demand no plan can fill does not count against a plan).
    """
    plan = list(assignments)
    kpis = {**_fill_kpis(instance, plan), **_town_kpis(instance, plan, fillable)}
    kpis = {k: kpis[k] for k in KPI_ORDER}
    return {**kpis, **_change_kpis(instance, plan, frozen_weeks)}


KPI_ORDER = (
    "demand_hours",
    "filled_hours",
    "weighted_fill",
    "weighted_demand",
    "partner_hours",
    "partner_cost",
    "min_municipality_fill_of_demand",
    "max_municipality_fill_of_demand",
    "specialists_per_need",
    "needs_filled_completely",
    "min_municipality_fill",
    "max_municipality_fill",
)


def _fill_kpis(instance: Instance, plan: list[Assignment]) -> dict[str, float | int]:
    requests = {r.id: r for r in instance.requests}
    people = {s.id: s for s in instance.specialists}
    partner = [a for a in plan if people[a.specialist].kind == "partner"]
    people_per_need: dict[tuple[str, int], set[str]] = defaultdict(set)
    got_by_need: dict[tuple[str, int], int] = defaultdict(int)
    for a in plan:
        people_per_need[a.request, a.need].add(a.specialist)
        got_by_need[a.request, a.need] += a.hours
    return {
        "demand_hours": sum(n.hours for r in instance.requests for n in r.needs),
        "filled_hours": sum(a.hours for a in plan),
        "weighted_fill": sum(a.hours * PRIORITY_WEIGHT[requests[a.request].priority] for a in plan),
        "weighted_demand": sum(n.hours * r.weight for r in instance.requests for n in r.needs),
        "partner_hours": sum(a.hours for a in partner),
        "partner_cost": sum(a.hours * people[a.specialist].hourly_cost for a in partner),
        "specialists_per_need": (
            round(sum(len(v) for v in people_per_need.values()) / len(people_per_need), 4) if people_per_need else 0.0
        ),
        "needs_filled_completely": sum(
            1
            for r in instance.requests
            for i, n in enumerate(r.needs)
            if n.hours > 0 and got_by_need.get((r.id, i), 0) >= n.hours
        ),
    }


def _town_kpis(
    instance: Instance, plan: list[Assignment], fillable: Mapping[str, float] | None
) -> dict[str, float | int]:
    """Each municipality's fill: the worst and the best, of its demand and of its fillable demand."""
    requests = {r.id: r for r in instance.requests}
    demand_by_town: dict[str, int] = defaultdict(int)
    for r in instance.requests:
        demand_by_town[r.municipality] += sum(n.hours for n in r.needs)
    got_by_town: dict[str, int] = defaultdict(int)
    for a in plan:
        got_by_town[requests[a.request].municipality] += a.hours
    on_demand = [got_by_town[m] / d for m, d in demand_by_town.items() if d > 0]
    kpis: dict[str, float | int] = {
        "min_municipality_fill_of_demand": round(min(on_demand), 4) if on_demand else 0.0,
        "max_municipality_fill_of_demand": round(max(on_demand), 4) if on_demand else 0.0,
    }
    if fillable is not None:
        ratios = [min(1.0, got_by_town[m] / f) for m, f in fillable.items() if f > 0]
        kpis["min_municipality_fill"] = round(min(ratios), 4) if ratios else 1.0
        kpis["max_municipality_fill"] = round(max(ratios), 4) if ratios else 1.0
    else:
        kpis["min_municipality_fill"] = kpis["min_municipality_fill_of_demand"]
        kpis["max_municipality_fill"] = kpis["max_municipality_fill_of_demand"]
    return kpis


def _change_kpis(instance: Instance, plan: list[Assignment], frozen_weeks: int) -> dict[str, float | int]:
    """What the plan changed of the previous plan, inside and after the frozen weeks."""
    before = {(p.request, p.need, p.specialist, p.week): p.hours for p in instance.previous_plan}
    after = {(a.request, a.need, a.specialist, a.week): a.hours for a in plan}
    changed = [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]
    return {
        "changed_vs_previous": len(changed) if before else 0,
        "previous_assignments": len(before),
        "previous_after_frozen": sum(1 for k in before if k[3] >= frozen_weeks),
        "changed_after_frozen": sum(1 for k in changed if k[3] >= frozen_weeks) if before else 0,
        # of the published assignments after the frozen weeks, how many are not kept exactly
        "previous_changed_after_frozen": sum(
            1 for k, h in before.items() if k[3] >= frozen_weeks and after.get(k) != h
        ),
        "changed_inside_frozen": sum(1 for k in changed if k[3] < frozen_weeks) if before else 0,
    }
