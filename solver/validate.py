"""An independent check of any plan against an instance, and the KPIs recomputed from scratch.

Written apart from the planners on purpose: it imports only the input dataclasses, so a bug in the model
cannot hide itself here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from solver.instance import PRIORITY_WEIGHT, Assignment, Instance


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
    plan = list(assignments)
    errors: list[Violation] = []

    def breach(rule: str, text: str, **facts: Any) -> None:
        errors.append(Violation(rule, facts, text))

    requests = {r.id: r for r in instance.requests}
    people = {s.id: s for s in instance.specialists}
    seen: dict[tuple[str, int, str, int], int] = {}
    per_person_week: dict[tuple[str, int], int] = defaultdict(int)
    per_request_week: dict[tuple[str, int], int] = defaultdict(int)
    per_need: dict[tuple[str, int], int] = defaultdict(int)
    partner_hours = 0
    for a in plan:
        where = f"{a.request}/{a.need}/{a.specialist}/week {a.week}"
        at = {"request": a.request, "need": a.need, "specialist": a.specialist, "week": a.week}
        r = requests.get(a.request)
        s = people.get(a.specialist)
        if r is None or s is None or not 0 <= a.need < len(r.needs):
            breach("unknown", f"{where}: unknown request, need or specialist", **at)
            continue
        key = (a.request, a.need, a.specialist, a.week)
        if key in seen:
            breach("duplicate", f"{where}: listed twice", **at)
        seen[key] = a.hours
        if not isinstance(a.hours, int) or a.hours < 1:
            breach("hours", f"{where}: hours must be a whole number >= 1, got {a.hours}", **at, hours=a.hours)
        need = r.needs[a.need]
        if s.level(need.skill) < need.min_level:
            breach(
                "skill-level",
                f"{where}: level {s.level(need.skill)} in {need.skill} below {need.min_level}",
                **at,
                skill=need.skill,
                level=s.level(need.skill),
                min_level=need.min_level,
            )
        if not r.start_week <= a.week <= r.end_week:
            breach(
                "window",
                f"{where}: outside the window {r.start_week}-{r.end_week}",
                **at,
                start_week=r.start_week,
                end_week=r.end_week,
            )
        if s.kind == "partner":
            partner_hours += a.hours
            if instance.partner is None:
                breach("partner-contract", f"{where}: partner specialist but no partner contract", **at)
            elif a.week < instance.partner.min_notice_weeks:
                breach(
                    "partner-notice",
                    f"{where}: partner before its notice of {instance.partner.min_notice_weeks} weeks",
                    **at,
                    notice_weeks=instance.partner.min_notice_weeks,
                )
            if not r.allow_partner:
                breach("partner-not-allowed", f"{where}: request does not allow the partner", **at)
        per_person_week[a.specialist, a.week] += a.hours
        per_request_week[a.request, a.week] += a.hours
        per_need[a.request, a.need] += a.hours

    fixed = [p for p in instance.previous_plan if p.pinned or p.week < frozen_weeks]
    fixed_person_week: dict[tuple[str, int], int] = defaultdict(int)
    fixed_request_week: dict[tuple[str, int], int] = defaultdict(int)
    for p in fixed:
        fixed_person_week[p.specialist, p.week] += p.hours
        fixed_request_week[p.request, p.week] += p.hours
        if seen.get((p.request, p.need, p.specialist, p.week)) != p.hours:
            kind = "pinned" if p.pinned else "frozen"
            breach(
                f"{kind}-changed",
                f"{kind} assignment {p.request}/{p.need}/{p.specialist}/week {p.week} changed",
                request=p.request,
                need=p.need,
                specialist=p.specialist,
                week=p.week,
                hours=p.hours,
            )
    previous = {(p.request, p.need, p.specialist, p.week) for p in instance.previous_plan}
    for key in seen:
        if key[3] < frozen_weeks and key not in previous:
            breach(
                "frozen-new",
                f"{key[0]}/{key[1]}/{key[2]}/week {key[3]}: new assignment inside the frozen weeks",
                request=key[0],
                need=key[1],
                specialist=key[2],
                week=key[3],
                frozen_weeks=frozen_weeks,
            )

    # Fixed assignments may exceed a limit that changed after they were made; they excuse only themselves.
    for (sid, w), hours in per_person_week.items():
        if sid in people:
            limit = max(people[sid].capacity(w), fixed_person_week.get((sid, w), 0))
            if hours > limit:
                breach(
                    "capacity",
                    f"specialist {sid} week {w}: {hours} h planned, capacity {limit} h",
                    specialist=sid,
                    week=w,
                    hours=hours,
                    limit=limit,
                )
    for (rid, w), hours in per_request_week.items():
        limit = max(requests[rid].max_hours_per_week, fixed_request_week.get((rid, w), 0))
        if hours > limit:
            breach(
                "weekly-maximum",
                f"request {rid} week {w}: {hours} h planned, weekly maximum {limit} h",
                request=rid,
                week=w,
                hours=hours,
                limit=limit,
            )
    for (rid, i), hours in per_need.items():
        if hours > requests[rid].needs[i].hours:
            breach(
                "need-hours",
                f"request {rid} need {i}: {hours} h planned, only {requests[rid].needs[i].hours} asked",
                request=rid,
                need=i,
                hours=hours,
                limit=requests[rid].needs[i].hours,
            )
    if instance.partner is not None and partner_hours > instance.partner.budget_hours:
        breach(
            "partner-budget",
            f"partner: {partner_hours} h planned, budget {instance.partner.budget_hours} h",
            hours=partner_hours,
            limit=instance.partner.budget_hours,
        )
    fixed_requests = {p.request for p in fixed}
    for r in instance.requests:
        # hours fixed earlier cannot be taken back, so such a request may stay partly filled
        if not r.all_or_nothing or r.id in fixed_requests:
            continue
        got = [per_need.get((r.id, i), 0) for i in range(len(r.needs))]
        if sum(got) > 0 and any(g < n.hours for g, n in zip(got, r.needs, strict=True)):
            breach(
                "all-or-nothing",
                f"request {r.id}: all-or-nothing but only partly filled",
                request=r.id,
                got=sum(got),
                hours=sum(n.hours for n in r.needs),
            )
    return errors


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
    requests = {r.id: r for r in instance.requests}
    people = {s.id: s for s in instance.specialists}
    demand = sum(n.hours for r in instance.requests for n in r.needs)
    filled = sum(a.hours for a in plan)
    weighted = sum(a.hours * PRIORITY_WEIGHT[requests[a.request].priority] for a in plan)
    partner = [a for a in plan if people[a.specialist].kind == "partner"]
    demand_by_town: dict[str, int] = defaultdict(int)
    for r in instance.requests:
        demand_by_town[r.municipality] += sum(n.hours for n in r.needs)
    got_by_town: dict[str, int] = defaultdict(int)
    for a in plan:
        got_by_town[requests[a.request].municipality] += a.hours
    on_demand = [got_by_town[m] / d for m, d in demand_by_town.items() if d > 0]
    people_per_need: dict[tuple[str, int], set[str]] = defaultdict(set)
    got_by_need: dict[tuple[str, int], int] = defaultdict(int)
    for a in plan:
        people_per_need[a.request, a.need].add(a.specialist)
        got_by_need[a.request, a.need] += a.hours
    kpis: dict[str, float | int] = {
        "demand_hours": demand,
        "filled_hours": filled,
        "weighted_fill": weighted,
        "weighted_demand": sum(n.hours * r.weight for r in instance.requests for n in r.needs),
        "partner_hours": sum(a.hours for a in partner),
        "partner_cost": sum(a.hours * people[a.specialist].hourly_cost for a in partner),
        "min_municipality_fill_of_demand": round(min(on_demand), 4) if on_demand else 0.0,
        "max_municipality_fill_of_demand": round(max(on_demand), 4) if on_demand else 0.0,
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
    if fillable is not None:
        ratios = [min(1.0, got_by_town[m] / f) for m, f in fillable.items() if f > 0]
        kpis["min_municipality_fill"] = round(min(ratios), 4) if ratios else 1.0
        kpis["max_municipality_fill"] = round(max(ratios), 4) if ratios else 1.0
    else:
        kpis["min_municipality_fill"] = kpis["min_municipality_fill_of_demand"]
        kpis["max_municipality_fill"] = kpis["max_municipality_fill_of_demand"]
    before = {(p.request, p.need, p.specialist, p.week): p.hours for p in instance.previous_plan}
    after = {(a.request, a.need, a.specialist, a.week): a.hours for a in plan}
    changed = [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]
    kpis["changed_vs_previous"] = len(changed) if before else 0
    kpis["previous_assignments"] = len(before)
    kpis["previous_after_frozen"] = sum(1 for k in before if k[3] >= frozen_weeks)
    kpis["changed_after_frozen"] = sum(1 for k in changed if k[3] >= frozen_weeks) if before else 0
    # of the published assignments after the frozen weeks, how many are not kept exactly
    kpis["previous_changed_after_frozen"] = sum(
        1 for k, h in before.items() if k[3] >= frozen_weeks and after.get(k) != h
    )
    kpis["changed_inside_frozen"] = sum(1 for k in changed if k[3] < frozen_weeks) if before else 0
    return kpis
