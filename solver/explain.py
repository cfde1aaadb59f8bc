"""Explanations a team lead understands: why a need is not (fully) filled, and why this specialist."""

from __future__ import annotations

from collections import defaultdict

from solver.instance import Assignment, Instance
from solver.prepared import NeedKey, Prepared, prepare
from solver.result import PlanResult, UnmetNeed

PRIORITY_NAME = {1: "critical", 2: "high", 3: "normal", 4: "low"}


class _Usage:
    """Who uses which hours in a finished plan."""

    def __init__(self, prep: Prepared, plan: list[Assignment]) -> None:
        self.got: dict[NeedKey, int] = defaultdict(int)
        self.person_week: dict[tuple[str, int], int] = defaultdict(int)
        self.person_week_requests: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.request_week: dict[tuple[str, int], int] = defaultdict(int)
        self.partner_hours = 0
        for a in plan:
            self.got[a.request, a.need] += a.hours
            self.person_week[a.specialist, a.week] += a.hours
            self.person_week_requests[a.specialist, a.week][a.request] += a.hours
            self.request_week[a.request, a.week] += a.hours
            if prep.specialists[a.specialist].kind == "partner":
                self.partner_hours += a.hours

    def free(self, prep: Prepared, sid: str, week: int) -> int:
        return max(0, prep.specialists[sid].capacity(week) - self.person_week[sid, week])


def _names(ids: list[str], limit: int = 4) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _takers(prep: Prepared, use: _Usage, people: list[str], weeks: list[int], rid: str) -> str:
    hours: dict[str, int] = defaultdict(int)
    for sid in people:
        for w in weeks:
            for other, h in use.person_week_requests[sid, w].items():
                if other != rid:
                    hours[other] += h
    if not hours:
        return ""
    me = prep.requests[rid].priority
    top = sorted(hours.items(), key=lambda kv: (prep.requests[kv[0]].priority, -kv[1]))
    parts = []
    for other, h in top[:3]:
        p = prep.requests[other].priority
        rank = "higher-priority " if p < me else ("equal-priority " if p == me else "")
        parts.append(f"{rank}request {other} ({PRIORITY_NAME[p]}, {h} h)")
    more = f" and {len(top) - 3} other requests" if len(top) > 3 else ""
    return "; ".join(parts) + more


def explain_unmet(prep: Prepared, plan: list[Assignment]) -> list[UnmetNeed]:
    """Give every need that is not completely filled a reason code and a sentence."""
    use = _Usage(prep, plan)
    partner = prep.instance.partner
    out = []
    for r in prep.instance.requests:
        weeks = list(range(r.start_week, r.end_week + 1))
        asked = sum(n.hours for n in r.needs)
        request_got = sum(use.got[r.id, i] for i in range(len(r.needs)))
        for i, n in enumerate(r.needs):
            key = (r.id, i)
            missing = n.hours - use.got[key]
            if missing <= 0:
                continue
            span = f"weeks {r.start_week}-{r.end_week}"
            qualified = prep.qualified[key]
            internal = [s for s in qualified if prep.specialists[s].kind == "internal"]
            eligible = [s for s in qualified if (key, s) in prep.eligible_weeks]
            if not qualified:
                partner_has = any(
                    s.kind == "partner" and s.level(n.skill) >= n.min_level for s in prep.instance.specialists
                )
                extra = " The partner has it, but this request does not allow the partner." if partner_has else ""
                out.append(
                    UnmetNeed(
                        r.id,
                        i,
                        missing,
                        "no-eligible-specialist",
                        f"Nobody in the pool has {n.skill} at level {n.min_level} or higher.{extra}",
                    )
                )
                continue
            if len(weeks) * r.max_hours_per_week < asked:
                out.append(
                    UnmetNeed(
                        r.id,
                        i,
                        missing,
                        "window-too-short",
                        f"The window ({span}, {len(weeks)} weeks) at {r.max_hours_per_week} h a week allows at most "
                        f"{len(weeks) * r.max_hours_per_week} h, but the request asks {asked} h in all.",
                    )
                )
                continue
            if not eligible:
                out.append(
                    UnmetNeed(
                        r.id,
                        i,
                        missing,
                        "no-hours-in-window",
                        f"{_names(qualified)} have {n.skill} at level {n.min_level}+, but none has pool hours left "
                        f"in {span} (leave, home duties, frozen weeks or the partner's notice period).",
                    )
                )
                continue
            free_internal = sum(
                min(use.free(prep, s, w), max(0, r.max_hours_per_week - use.request_week[r.id, w]))
                for s in eligible
                if prep.specialists[s].kind == "internal"
                for w in prep.eligible_weeks[key, s]
            )
            free_any = sum(use.free(prep, s, w) for s in eligible for w in prep.eligible_weeks[key, s])
            takers = _takers(prep, use, eligible, weeks, r.id)
            if r.all_or_nothing and request_got == 0:
                why = f" Hours of the qualified specialists are taken by {takers}." if takers else ""
                out.append(
                    UnmetNeed(
                        r.id,
                        i,
                        missing,
                        "all-or-nothing-not-reachable",
                        f"This request is all-or-nothing and could not be planned completely in {span}.{why}",
                    )
                )
                continue
            partner_eligible = any(prep.specialists[s].kind == "partner" for s in eligible)
            if (
                partner is not None
                and partner_eligible
                and free_internal == 0
                and use.partner_hours >= partner.budget_hours
            ):
                out.append(
                    UnmetNeed(
                        r.id,
                        i,
                        missing,
                        "partner-budget-exhausted",
                        f"Internal specialists with {n.skill} are fully booked in {span}, and the partner's budget of "
                        f"{partner.budget_hours} h is used up.",
                    )
                )
                continue
            if free_any == 0 or not free_internal and not partner_eligible:
                by = f" by {takers}" if takers else ""
                out.append(
                    UnmetNeed(
                        r.id,
                        i,
                        missing,
                        "capacity-taken",
                        f"Qualified specialists ({_names(eligible or internal)}) are fully booked in {span}{by}.",
                    )
                )
                continue
            room = sum(max(0, r.max_hours_per_week - use.request_week[r.id, w]) for w in weeks)
            if room == 0:
                out.append(
                    UnmetNeed(
                        r.id,
                        i,
                        missing,
                        "weekly-maximum-reached",
                        f"The request's maximum of {r.max_hours_per_week} h a week is used up in every week of {span}.",
                    )
                )
                continue
            out.append(
                UnmetNeed(
                    r.id,
                    i,
                    missing,
                    "not-reached",
                    f"Qualified specialists still have hours free in {span}, but using them would cost a higher "
                    f"goal (a more urgent request, the partner budget) or the planner found no better plan in time."
                    + (f" Their hours go to {takers}." if takers else ""),
                )
            )
    return out


def explain_assignment(instance: Instance, result: PlanResult, request_id: str, need: int, specialist_id: str) -> str:
    """Say why this specialist works on this need: the qualified alternatives and what made this one better."""
    prep = prepare(instance, result.frozen_weeks)
    if request_id not in prep.requests or not 0 <= need < len(prep.requests[request_id].needs):
        raise ValueError(f"unknown request/need {request_id}/{need}")
    r = prep.requests[request_id]
    n = r.needs[need]
    mine = [a for a in result.assignments if a.request == request_id and a.need == need]
    chosen = [a for a in mine if a.specialist == specialist_id]
    if not chosen:
        return f"{specialist_id} is not assigned to request {request_id}, need {need} in this plan."
    use = _Usage(prep, list(result.assignments))
    s = prep.specialists[specialist_id]
    weeks = sorted({a.week for a in chosen})
    hours = sum(a.hours for a in chosen)
    text = [
        f"{s.name} ({specialist_id}, level {s.level(n.skill)} in {n.skill}, minimum {n.min_level}) works "
        f"{hours} h of the {n.hours} h in weeks {', '.join(map(str, weeks))}."
    ]
    if any(a.pinned for a in chosen):
        text.append("The assignment is pinned by the coordinator.")
    elif any(a.week < result.frozen_weeks for a in chosen):
        text.append("Part of it lies in the frozen weeks of the published plan.")
    why = []
    alternatives = [sid for sid in prep.qualified[(request_id, need)] if sid != specialist_id]
    if s.kind == "internal" and any(prep.specialists[a].kind == "partner" for a in alternatives):
        why.append("an internal specialist costs nothing, the partner does")
    others = {a.specialist for a in mine}
    if len(others) == 1:
        why.append("one person carries the whole need (continuity)")
    if any(
        p.specialist == specialist_id and p.request == request_id and p.need == need for p in instance.previous_plan
    ):
        why.append("the previous plan already had this person here (stability)")
    if s.home == r.municipality:
        why.append("the specialist belongs to the requesting municipality")
    if s.level(n.skill) - n.min_level <= 1:
        why.append("the level fits the work, so no senior is spent on junior work")
    if why:
        text.append("Chosen because " + "; ".join(why) + ".")
    if not alternatives:
        text.append("Nobody else in the pool qualifies.")
    else:
        parts = []
        for sid in sorted(alternatives, key=lambda x: -prep.specialists[x].level(n.skill))[:5]:
            o = prep.specialists[sid]
            free = sum(use.free(prep, sid, w) for w in weeks)
            busy = {rid for w in weeks for rid in use.person_week_requests[sid, w] if rid != request_id}
            note = f"{free} h free in those weeks"
            if busy:
                note += f", busy on {_names(sorted(busy), 3)}"
            if o.kind == "partner":
                note += f", partner at {o.hourly_cost}/h"
            parts.append(f"{sid} (level {o.level(n.skill)}, {note})")
        more = f" and {len(alternatives) - 5} more" if len(alternatives) > 5 else ""
        text.append("Qualified alternatives: " + "; ".join(parts) + more + ".")
    return " ".join(text)
