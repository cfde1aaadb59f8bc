"""What would help most: extra capacity ranked by the priority-weighted unmet demand it could fill.

The estimate lays the added hours week by week over the published plan's unmet needs that the capacity
qualifies for, highest priority first; it ignores the weekly maximum of a request and all-or-nothing, so it
is an upper bound. Each entry becomes a what-if scenario with one button, and planning that scenario with the
run job confirms it by re-solving.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from pool.services.exchange import export_instance, export_plan, published_plan
from solver.instance import PRIORITY_WEIGHT

EXTRA_HOURS_PER_WEEK = 4
TOP = 15


@dataclass(frozen=True)
class Help:
    kind: str  # "skill-level", "more-hours" or "partner-budget": the scenario change that tries it
    specialist: str  # code, "" for the partner budget
    specialist_name: str
    skill: str  # code, "" unless skill-level
    level: int  # the level trained to, 0 unless skill-level
    hours: int  # extra pool hours a week (more-hours) or the new partner budget (partner-budget)
    filled_hours: int  # estimated unmet hours it fills
    weighted_fill: int  # estimated weighted fill it adds


@dataclass
class _Unmet:
    skill: str
    min_level: int
    weight: int
    weeks: range
    hours: int
    allow_partner: bool


def what_would_help(session: Session) -> list[Help]:
    """Rank extra capacity by the weighted unmet demand of the published plan it would fill."""
    plan = published_plan(session)
    if plan is None:
        return []
    doc, result = export_instance(session), export_plan(session, plan.id)
    unmet = _unmet(doc, result)
    if not unmet:
        return []
    weeks = doc["horizon"]["weeks"]
    spare = _spare(doc, result, weeks)
    people = [s for s in doc["specialists"] if s["kind"] == "internal"]
    found: list[Help] = []
    asked = sorted({(u.skill, u.min_level) for u in unmet})
    for skill, level in asked:
        best: Help | None = None
        for s in people:
            if s["skills"].get(skill, 0) >= level:
                continue
            trained = dict(s["skills"]) | {skill: level}
            hours, weighted = _fill(unmet, spare[s["id"]], trained, partner=False)
            if weighted and (best is None or weighted > best.weighted_fill):
                best = Help("skill-level", s["id"], s["name"], skill, level, 0, hours, weighted)
        if best:
            found.append(best)
    for s in people:
        hours, weighted = _fill(unmet, [EXTRA_HOURS_PER_WEEK] * weeks, s["skills"], partner=False)
        if weighted:
            found.append(Help("more-hours", s["id"], s["name"], "", 0, EXTRA_HOURS_PER_WEEK, hours, weighted))
    if doc["partner"] is not None:
        extra = max(40, doc["partner"]["budget_hours"] // 10)
        partner_skills: dict[str, int] = defaultdict(int)
        for s in doc["specialists"]:
            if s["kind"] == "partner":
                for k, v in s["skills"].items():
                    partner_skills[k] = max(partner_skills[k], v)
        hours, weighted = _fill(unmet, None, partner_skills, partner=True, budget=extra)
        if weighted:
            found.append(Help("partner-budget", "", "", "", 0, doc["partner"]["budget_hours"] + extra, hours,
                              weighted))
    return sorted(found, key=lambda h: (-h.weighted_fill, h.kind, h.specialist, h.skill))[:TOP]


def _unmet(doc: dict[str, Any], result: dict[str, Any]) -> list[_Unmet]:
    requests = {r["id"]: r for r in doc["requests"]}
    out = []
    for u in result["unmet"]:
        r = requests.get(u["request"])
        if r is None or u["hours"] <= 0:
            continue
        n = r["needs"][u["need"]]
        out.append(_Unmet(n["skill"], n["min_level"], PRIORITY_WEIGHT[r["priority"]],
                          range(r["start_week"], r["end_week"] + 1), u["hours"], r["allow_partner"]))
    return sorted(out, key=lambda u: -u.weight)


def _spare(doc: dict[str, Any], result: dict[str, Any], weeks: int) -> dict[str, list[int]]:
    """Each specialist's pool hours the published plan leaves free, week by week."""
    used: dict[tuple[str, int], int] = defaultdict(int)
    for a in result["assignments"]:
        used[(a["specialist"], a["week"])] += a["hours"]
    spare = {}
    for s in doc["specialists"]:
        off = {u["week"]: u["hours"] for u in s["unavailable"]}
        spare[s["id"]] = [max(0, s["pool_hours_per_week"] - off.get(w, 0) - used[(s["id"], w)]) for w in range(weeks)]
    return spare


def _fill(unmet: list[_Unmet], hours: list[int] | None, skills: dict[str, int], partner: bool,
          budget: int = 0) -> tuple[int, int]:
    """Lay added hours (per week, or a budget without weekly limit) over the qualifying unmet needs."""
    left = list(hours) if hours is not None else None
    filled = weighted = 0
    for u in unmet:
        if skills.get(u.skill, 0) < u.min_level or (partner and not u.allow_partner):
            continue
        want = u.hours
        if left is None:
            take = min(want, budget)
            budget -= take
        else:
            take = 0
            for w in u.weeks:
                if w < len(left) and want > take:
                    step = min(left[w], want - take)
                    left[w] -= step
                    take += step
        filled, weighted = filled + take, weighted + take * u.weight
    return filled, weighted
