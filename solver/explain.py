"""Explanations a team lead understands: why a need is not (fully) filled, and why this specialist.

Each explanation is a reason code with its facts (ids, weeks, hours, priorities); the English sentences here
are for the command line, and other readers word the same facts in their own language.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from solver.instance import PRIORITY_NAMES, Assignment, Instance
from solver.prepared import NeedKey, Prepared, prepare
from solver.result import Explanation, PlanResult, UnmetNeed

SHOWN_TAKERS = 3
SHOWN_ALTERNATIVES = 5


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


def _takers(prep: Prepared, use: _Usage, people: list[str], weeks: list[int], rid: str) -> dict[str, Any]:
    """The other requests that hold the hours of these people in these weeks, the most urgent first."""
    hours: dict[str, int] = defaultdict(int)
    for sid in people:
        for w in weeks:
            for other, h in use.person_week_requests[sid, w].items():
                if other != rid:
                    hours[other] += h
    top = sorted(hours.items(), key=lambda kv: (prep.requests[kv[0]].priority, -kv[1]))
    return {
        "takers": [{"request": o, "priority": prep.requests[o].priority, "hours": h} for o, h in top[:SHOWN_TAKERS]],
        "other_takers": max(0, len(top) - SHOWN_TAKERS),
    }


def _takers_text(f: dict[str, Any]) -> str:
    parts = []
    for t in f["takers"]:
        p = t["priority"]
        rank = "higher-priority " if p < f["priority"] else ("equal-priority " if p == f["priority"] else "")
        parts.append(f"{rank}request {t['request']} ({PRIORITY_NAMES[p]}, {t['hours']} h)")
    more = f" and {f['other_takers']} other requests" if f["other_takers"] else ""
    return "; ".join(parts) + more


def unmet_sentence(code: str, f: dict[str, Any]) -> str:
    """Say in English why a need is not completely filled, from its reason code and facts."""
    span = f"weeks {f['start_week']}-{f['end_week']}"
    takers = _takers_text(f) if f.get("takers") else ""
    if code == "no-eligible-specialist":
        extra = " The partner has it, but this request does not allow the partner." if f["partner_has_it"] else ""
        return f"Nobody in the pool has {f['skill']} at level {f['min_level']} or higher.{extra}"
    if code == "window-too-short":
        return (f"The window ({span}, {f['weeks']} weeks) at {f['max_hours_per_week']} h a week allows at most "
                f"{f['window_hours']} h, but the request asks {f['asked']} h in all.")
    if code == "no-hours-in-window":
        return (f"{_names(f['specialists'])} have {f['skill']} at level {f['min_level']}+, but none has pool hours "
                f"left in {span} (leave, home duties, frozen weeks or the partner's notice period).")
    if code == "all-or-nothing-not-reachable":
        why = f" Hours of the qualified specialists are taken by {takers}." if takers else ""
        return f"This request is all-or-nothing and could not be planned completely in {span}.{why}"
    if code == "partner-budget-exhausted":
        return (f"Internal specialists with {f['skill']} are fully booked in {span}, and the partner's budget of "
                f"{f['budget_hours']} h is used up.")
    if code == "capacity-taken":
        by = f" by {takers}" if takers else ""
        return f"Qualified specialists ({_names(f['specialists'])}) are fully booked in {span}{by}."
    if code == "weekly-maximum-reached":
        return f"The request's maximum of {f['max_hours_per_week']} h a week is used up in every week of {span}."
    return (f"Qualified specialists still have hours free in {span}, but using them would cost a higher goal (a "
            f"more urgent request, the partner budget) or the planner found no better plan in time."
            + (f" Their hours go to {takers}." if takers else ""))


def explain_unmet(prep: Prepared, plan: list[Assignment], only: set[str] | None = None) -> list[UnmetNeed]:
    """Give every need that is not completely filled a reason code, its facts and a sentence.

    `only` limits the explanations to these requests (the plan still counts whole).
    """
    use = _Usage(prep, plan)
    out = []
    for r in prep.instance.requests:
        if only is not None and r.id not in only:
            continue
        for i, n in enumerate(r.needs):
            missing = n.hours - use.got[r.id, i]
            if missing > 0:
                why = _why_unmet(prep, use, r.id, i)
                why.facts["hours"] = missing
                out.append(UnmetNeed(r.id, i, missing, why.code, unmet_sentence(why.code, why.facts), why.facts))
    return out


def _why_unmet(prep: Prepared, use: _Usage, rid: str, i: int) -> Explanation:
    r = prep.requests[rid]
    n = r.needs[i]
    key = (rid, i)
    partner = prep.instance.partner
    weeks = list(range(r.start_week, r.end_week + 1))
    asked = sum(x.hours for x in r.needs)
    f: dict[str, Any] = {"request": rid, "need": i, "skill": n.skill, "min_level": n.min_level,
                         "start_week": r.start_week, "end_week": r.end_week, "priority": r.priority}
    qualified = prep.qualified[key]
    internal = [s for s in qualified if prep.specialists[s].kind == "internal"]
    eligible = [s for s in qualified if (key, s) in prep.eligible_weeks]
    if not qualified:
        f["partner_has_it"] = any(
            s.kind == "partner" and s.level(n.skill) >= n.min_level for s in prep.instance.specialists
        )
        return Explanation("no-eligible-specialist", f)
    if len(weeks) * r.max_hours_per_week < asked:
        f |= {"weeks": len(weeks), "max_hours_per_week": r.max_hours_per_week,
              "window_hours": len(weeks) * r.max_hours_per_week, "asked": asked}
        return Explanation("window-too-short", f)
    if not eligible:
        f["specialists"] = qualified
        return Explanation("no-hours-in-window", f)
    free_internal = sum(
        min(use.free(prep, s, w), max(0, r.max_hours_per_week - use.request_week[rid, w]))
        for s in eligible
        if prep.specialists[s].kind == "internal"
        for w in prep.eligible_weeks[key, s]
    )
    free_any = sum(use.free(prep, s, w) for s in eligible for w in prep.eligible_weeks[key, s])
    f |= _takers(prep, use, eligible, weeks, rid)
    if r.all_or_nothing and sum(use.got[rid, j] for j in range(len(r.needs))) == 0:
        return Explanation("all-or-nothing-not-reachable", f)
    partner_eligible = any(prep.specialists[s].kind == "partner" for s in eligible)
    if partner is not None and partner_eligible and free_internal == 0 and use.partner_hours >= partner.budget_hours:
        f["budget_hours"] = partner.budget_hours
        return Explanation("partner-budget-exhausted", f)
    if free_any == 0 or not free_internal and not partner_eligible:
        f["specialists"] = eligible or internal
        return Explanation("capacity-taken", f)
    if sum(max(0, r.max_hours_per_week - use.request_week[rid, w]) for w in weeks) == 0:
        f["max_hours_per_week"] = r.max_hours_per_week
        return Explanation("weekly-maximum-reached", f)
    return Explanation("not-reached", f)


WHY_CHOSEN = {
    "internal-not-partner": "an internal specialist costs nothing, the partner does",
    "continuity": "one person carries the whole need (continuity)",
    "stability": "the previous plan already had this person here (stability)",
    "home-municipality": "the specialist belongs to the requesting municipality",
    "level-fits": "the level fits the work, so no senior is spent on junior work",
}


def assignment_reasons(instance: Instance, result: PlanResult, request_id: str) -> dict[tuple[int, str], Explanation]:
    """Say why each specialist works on each need of a request: {(need, specialist): explanation}."""
    prep = prepare(instance, result.frozen_weeks)
    if request_id not in prep.requests:
        raise ValueError(f"unknown request {request_id}")
    use = _Usage(prep, list(result.assignments))
    pairs = sorted({(a.need, a.specialist) for a in result.assignments if a.request == request_id})
    return {(i, sid): _why_assigned(prep, use, result, request_id, i, sid) for i, sid in pairs}


def assignment_reason(instance: Instance, result: PlanResult, request_id: str, need: int,
                      specialist_id: str) -> Explanation:
    """Say why this specialist works on this need, as a code (`assigned`, `not-assigned`) and its facts."""
    prep = prepare(instance, result.frozen_weeks)
    if request_id not in prep.requests or not 0 <= need < len(prep.requests[request_id].needs):
        raise ValueError(f"unknown request/need {request_id}/{need}")
    return _why_assigned(prep, _Usage(prep, list(result.assignments)), result, request_id, need, specialist_id)


def _why_assigned(prep: Prepared, use: _Usage, result: PlanResult, request_id: str, need: int,
                  specialist_id: str) -> Explanation:
    r = prep.requests[request_id]
    n = r.needs[need]
    f: dict[str, Any] = {"request": request_id, "need": need, "specialist": specialist_id}
    mine = [a for a in result.assignments if a.request == request_id and a.need == need]
    chosen = [a for a in mine if a.specialist == specialist_id]
    if not chosen:
        return Explanation("not-assigned", f)
    s = prep.specialists[specialist_id]
    weeks = sorted({a.week for a in chosen})
    f |= {"name": s.name, "skill": n.skill, "level": s.level(n.skill), "min_level": n.min_level,
          "hours": sum(a.hours for a in chosen), "need_hours": n.hours, "weeks": weeks,
          "fixed": "pinned" if any(a.pinned for a in chosen)
          else "frozen" if any(a.week < result.frozen_weeks for a in chosen) else None}
    alternatives = [sid for sid in prep.qualified[(request_id, need)] if sid != specialist_id]
    because = []
    if s.kind == "internal" and any(prep.specialists[a].kind == "partner" for a in alternatives):
        because.append("internal-not-partner")
    if len({a.specialist for a in mine}) == 1:
        because.append("continuity")
    if any(p.specialist == specialist_id and p.request == request_id and p.need == need
           for p in prep.instance.previous_plan):
        because.append("stability")
    if s.home == r.municipality:
        because.append("home-municipality")
    if s.level(n.skill) - n.min_level <= 1:
        because.append("level-fits")
    f["because"] = because
    f["alternatives"] = [
        {"specialist": sid, "level": o.level(n.skill), "free_hours": sum(use.free(prep, sid, w) for w in weeks),
         "busy_on": sorted({rid for w in weeks for rid in use.person_week_requests[sid, w] if rid != request_id}),
         "partner": o.kind == "partner", "hourly_cost": o.hourly_cost}
        for sid in sorted(alternatives, key=lambda x: -prep.specialists[x].level(n.skill))[:SHOWN_ALTERNATIVES]
        for o in [prep.specialists[sid]]
    ]
    f["other_alternatives"] = max(0, len(alternatives) - SHOWN_ALTERNATIVES)
    return Explanation("assigned", f)


def assignment_sentence(why: Explanation) -> str:
    """Say in English why a specialist works on a need, from the explanation's facts."""
    f = why.facts
    if why.code == "not-assigned":
        return f"{f['specialist']} is not assigned to request {f['request']}, need {f['need']} in this plan."
    text = [
        f"{f['name']} ({f['specialist']}, level {f['level']} in {f['skill']}, minimum {f['min_level']}) works "
        f"{f['hours']} h of the {f['need_hours']} h in weeks {', '.join(map(str, f['weeks']))}."
    ]
    if f["fixed"] == "pinned":
        text.append("The assignment is pinned by the coordinator.")
    elif f["fixed"] == "frozen":
        text.append("Part of it lies in the frozen weeks of the published plan.")
    if f["because"]:
        text.append("Chosen because " + "; ".join(WHY_CHOSEN[c] for c in f["because"]) + ".")
    if not f["alternatives"]:
        text.append("Nobody else in the pool qualifies.")
    else:
        parts = []
        for o in f["alternatives"]:
            note = f"{o['free_hours']} h free in those weeks"
            if o["busy_on"]:
                note += f", busy on {_names(o['busy_on'], 3)}"
            if o["partner"]:
                note += f", partner at {o['hourly_cost']}/h"
            parts.append(f"{o['specialist']} (level {o['level']}, {note})")
        more = f" and {f['other_alternatives']} more" if f["other_alternatives"] else ""
        text.append("Qualified alternatives: " + "; ".join(parts) + more + ".")
    return " ".join(text)


def explain_assignment(instance: Instance, result: PlanResult, request_id: str, need: int, specialist_id: str) -> str:
    """Say why this specialist works on this need: the qualified alternatives and what made this one better."""
    return assignment_sentence(assignment_reason(instance, result, request_id, need, specialist_id))
