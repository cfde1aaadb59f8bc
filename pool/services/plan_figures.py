"""The key figures of stored plans, measured on their assignments: one function for every page that shows them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from pool.models import Assignment, Municipality, Need, Plan, Request, Specialist, UnmetNeed
from solver.instance import PRIORITY_WEIGHT


@dataclass(frozen=True)
class PlanFigures:
    """What a coordinator weighs when choosing a plan. Demand is that of the needs the plan covers."""

    demand_hours: int = 0
    filled_hours: int = 0
    weighted_fill: int = 0
    weighted_demand: int = 0
    filled_by_priority: dict[int, int] = field(default_factory=dict)
    demand_by_priority: dict[int, int] = field(default_factory=dict)
    partner_hours: int = 0
    partner_cost: int = 0
    worst_municipality: str | None = None  # its name
    worst_share: float = 1.0  # the worst municipality's filled hours over its demand
    specialists_per_need: float = 0.0  # over the needs that get any hours
    unmet_by_reason: dict[str, int] = field(default_factory=dict)
    assignments: int = 0

    @property
    def fill_share(self) -> float:
        return self.filled_hours / self.demand_hours if self.demand_hours else 1.0


@dataclass
class _NeedTally:
    asked: int
    priority: int
    municipality: str
    hours: int = 0  # assigned
    people: int = 0


# Figures are kept once measured. Published and superseded plans are never edited (a revision is a new draft);
# every hand edit of a draft raises its version (plan_edits), and the version is part of the key. The key holds
# the creation time too, so a reused id is not mistaken.
_KEPT: dict[tuple[int, str, object, int], PlanFigures] = {}


def _key(plan: Plan) -> tuple[int, str, object, int]:
    return plan.id, plan.status, plan.created_at, plan.version


def plan_figures(session: Session, plan_ids: Iterable[int]) -> dict[int, PlanFigures]:
    """Return each plan's figures; plans not yet measured take two grouped queries together."""
    plans = {p.id: p for p in session.scalars(select(Plan).where(Plan.id.in_(set(plan_ids))))}
    kept = {i: _KEPT[k] for i, p in plans.items() if (k := _key(p)) in _KEPT}
    ids = sorted(set(plans) - set(kept))
    out = kept | _measure(session, ids) if ids else kept
    for i, p in plans.items():
        _KEPT[_key(p)] = out[i]
    return out


def _measure(session: Session, ids: list[int]) -> dict[int, PlanFigures]:
    partner = Specialist.kind == "partner"
    got = session.execute(
        select(
            Assignment.plan_id, Assignment.need_id, Need.hours, Request.priority, Municipality.name,
            func.sum(Assignment.hours), func.count(distinct(Assignment.specialist_id)),
            func.sum(case((partner, Assignment.hours), else_=0)),
            func.sum(case((partner, Assignment.hours * Specialist.hourly_cost), else_=0)), func.count(),
        )
        .join(Specialist, Specialist.id == Assignment.specialist_id)
        .join(Need, Need.id == Assignment.need_id)
        .join(Request, Request.id == Need.request_id)
        .join(Municipality, Municipality.id == Request.municipality_id)
        .where(Assignment.plan_id.in_(ids))
        .group_by(Assignment.plan_id, Assignment.need_id, Need.hours, Request.priority, Municipality.name)
    ).all()
    unmet = session.execute(
        select(UnmetNeed.plan_id, UnmetNeed.need_id, Need.hours, Request.priority, Municipality.name,
               UnmetNeed.reason, func.sum(UnmetNeed.hours))
        .join(Need, Need.id == UnmetNeed.need_id)
        .join(Request, Request.id == Need.request_id)
        .join(Municipality, Municipality.id == Request.municipality_id)
        .where(UnmetNeed.plan_id.in_(ids))
        .group_by(UnmetNeed.plan_id, UnmetNeed.need_id, Need.hours, Request.priority, Municipality.name,
                  UnmetNeed.reason)
    ).all()
    tallies: dict[int, dict[int, _NeedTally]] = {i: {} for i in ids}
    partner_hours: dict[int, int] = defaultdict(int)
    partner_cost: dict[int, int] = defaultdict(int)
    count: dict[int, int] = defaultdict(int)
    for plan_id, need_id, asked, priority, town, hours, people, p_hours, p_cost, n in got:
        tallies[plan_id][need_id] = _NeedTally(asked, priority, town, int(hours), int(people))
        partner_hours[plan_id] += int(p_hours or 0)
        partner_cost[plan_id] += int(p_cost or 0)
        count[plan_id] += int(n)
    reasons: dict[int, dict[str, int]] = {i: defaultdict(int) for i in ids}
    for plan_id, need_id, asked, priority, town, reason, hours in unmet:
        reasons[plan_id][reason] += int(hours)
        tallies[plan_id].setdefault(need_id, _NeedTally(asked, priority, town))
    return {i: _figures(tallies[i], reasons[i], partner_hours[i], partner_cost[i], count[i]) for i in ids}


def document_figures(situation: dict[str, Any], plan: dict[str, Any]) -> PlanFigures:
    """Measure a pool-plan/1 document planned on a pool-instance/1 situation (a scenario's) the same way."""
    towns = {m["id"]: m["name"] for m in situation["municipalities"]}
    people = {s["id"]: s for s in situation["specialists"]}
    asked = {(r["id"], i): (n["hours"], r["priority"], towns[r["municipality"]])
             for r in situation["requests"] for i, n in enumerate(r["needs"])}
    hours: dict[tuple[str, int], int] = defaultdict(int)
    who: dict[tuple[str, int], set[str]] = defaultdict(set)
    partner_hours = partner_cost = 0
    for a in plan["assignments"]:
        key = (a["request"], a["need"])
        hours[key] += a["hours"]
        who[key].add(a["specialist"])
        if people[a["specialist"]]["kind"] == "partner":
            partner_hours += a["hours"]
            partner_cost += a["hours"] * people[a["specialist"]]["hourly_cost"]
    tally: dict[Any, _NeedTally] = {key: _NeedTally(*asked[key], h, len(who[key])) for key, h in hours.items()}
    reasons: dict[str, int] = defaultdict(int)
    for u in plan["unmet"]:
        key = (u["request"], u["need"])
        reasons[u["reason"]] += u["hours"]
        tally.setdefault(key, _NeedTally(*asked[key]))
    return _figures(tally, reasons, partner_hours, partner_cost, len(plan["assignments"]))


def _figures(tally: dict[Any, _NeedTally], reasons: dict[str, int], partner_hours: int, partner_cost: int,
             assignments: int) -> PlanFigures:
    filled_by: dict[int, int] = defaultdict(int)
    demand_by: dict[int, int] = defaultdict(int)
    town_filled: dict[str, int] = defaultdict(int)
    town_demand: dict[str, int] = defaultdict(int)
    served = people = 0
    for t in tally.values():
        filled = min(t.hours, t.asked)
        filled_by[t.priority] += filled
        demand_by[t.priority] += t.asked
        town_filled[t.municipality] += filled
        town_demand[t.municipality] += t.asked
        if t.hours:
            served, people = served + 1, people + t.people
    shares = {town: town_filled[town] / d for town, d in town_demand.items() if d > 0}
    worst = min(shares, key=lambda town: (shares[town], town)) if shares else None
    return PlanFigures(
        demand_hours=sum(demand_by.values()),
        filled_hours=sum(filled_by.values()),
        weighted_fill=sum(h * PRIORITY_WEIGHT[p] for p, h in filled_by.items()),
        weighted_demand=sum(h * PRIORITY_WEIGHT[p] for p, h in demand_by.items()),
        filled_by_priority=dict(sorted(filled_by.items())),
        demand_by_priority=dict(sorted(demand_by.items())),
        partner_hours=partner_hours,
        partner_cost=partner_cost,
        worst_municipality=worst,
        worst_share=shares[worst] if worst else 1.0,
        specialists_per_need=people / served if served else 0.0,
        unmet_by_reason=dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        assignments=assignments,
    )
