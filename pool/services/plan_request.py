"""One request in one plan: its needs, who works which weeks and why, and the reason for every unmet hour.

The planner's explanations are computed again from the plan and the situation around the request, because
pool-plan/1 stores only the English sentence. The situation is cut down to what an explanation of this
request can look at: the request, everyone qualified for one of its needs, and the requests that hold
their hours in its window. That keeps a page fast at the L size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from pool.errors import NotFound
from pool.formats.instance import FORMAT as INSTANCE_FORMAT
from pool.models import (
    Assignment,
    Municipality,
    Need,
    Plan,
    Request,
    Skill,
    Specialist,
    SpecialistSkill,
    UnmetNeed,
)
from pool.services.exchange import partner_contract, partner_doc, published_plan, request_doc, specialist_doc
from pool.translate import instance_from_document
from pool.weeks import week_index, week_start
from solver import instance as si
from solver.explain import assignment_reasons, explain_unmet
from solver.prepared import prepare
from solver.result import Explanation, PlanResult
from solver.result import UnmetNeed as SolverUnmet


@dataclass(frozen=True)
class Names:
    """What a reader calls the ids in the planner's facts."""

    horizon_start: dt.date
    specialists: dict[str, str]  # code -> name
    requests: dict[str, tuple[str, str]]  # code -> (title, municipality name)
    skills: dict[str, str]  # code -> name


@dataclass
class Placement:
    """One specialist on one need: the weeks and hours, and why this person."""

    specialist: Specialist
    assignments: list[Assignment]
    why: Explanation | None = None

    @property
    def hours(self) -> int:
        return sum(a.hours for a in self.assignments)


@dataclass
class Shortfall:
    hours: int
    reason: str
    detail: str  # the planner's English sentence when the plan was made
    facts: dict[str, Any] | None  # the facts, when the explanation today gives the same reason


@dataclass
class NeedInPlan:
    need: Need
    placements: list[Placement] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(p.hours for p in self.placements)


@dataclass
class RequestInPlan:
    plan: Plan
    request: Request
    needs: list[NeedInPlan]
    names: Names


def request_in_plan(session: Session, plan: Plan, request_id: int) -> RequestInPlan:
    """Return a request as a plan has it, with the planner's explanations."""
    request = session.scalars(
        select(Request).where(Request.id == request_id)
        .options(selectinload(Request.needs).selectinload(Need.skill), selectinload(Request.municipality))
    ).first()
    if request is None:
        raise NotFound(f"there is no request {request_id}")
    own = list(session.scalars(
        select(Assignment).join(Need).where(Assignment.plan_id == plan.id, Need.request_id == request.id)
        .options(selectinload(Assignment.specialist)).order_by(Assignment.week)
    ))
    unmet = list(session.scalars(
        select(UnmetNeed).join(Need).where(UnmetNeed.plan_id == plan.id, Need.request_id == request.id)
    ))
    needs = {n.id: NeedInPlan(n) for n in request.needs}
    by_person: dict[tuple[int, int], Placement] = {}
    for a in own:
        key = (a.need_id, a.specialist_id)
        if key not in by_person:
            by_person[key] = Placement(a.specialist, [])
            needs[a.need_id].placements.append(by_person[key])
        by_person[key].assignments.append(a)
    context = _context(session, plan, request)
    names = context.names if context else Names(plan.horizon_start, {}, {}, {})
    reasons = context.assignment_reasons() if context else {}
    today = context.unmet_facts() if context else {}
    for n in needs.values():
        for p in n.placements:
            p.why = reasons.get((n.need.position, p.specialist.code))
    for u in unmet:
        facts = today.get((u.need.position, u.reason))
        needs[u.need_id].shortfalls.append(Shortfall(u.hours, u.reason, u.detail, facts))
    return RequestInPlan(plan, request, [needs[n.id] for n in request.needs], names)


def shortfall_facts(session: Session, plan: Plan, request: Request) -> tuple[Names, dict[tuple[int, str], Any]]:
    """Return the names and the facts of the reasons a plan gives today, by (need position, reason code)."""
    context = _context(session, plan, request)
    if context is None:
        return Names(plan.horizon_start, {}, {}, {}), {}
    return context.names, context.unmet_facts()


def _context(session: Session, plan: Plan, request: Request) -> _Context | None:
    end = week_start(plan.horizon_start, plan.horizon_weeks)
    if request.last_week < plan.horizon_start or request.first_week >= end:
        return None  # the request lies outside the plan: nothing to explain
    return _Context(session, plan, request)


class _Context:
    """The situation around one request, as the solver's input, with the plan's hours in it."""

    def __init__(self, session: Session, plan: Plan, request: Request) -> None:
        self.plan, self.request = plan, request
        start, weeks = plan.horizon_start, plan.horizon_weeks
        qualified = select(SpecialistSkill.specialist_id).join(Need, Need.skill_id == SpecialistSkill.skill_id).where(
            Need.request_id == request.id, SpecialistSkill.level >= Need.min_level
        )
        placed = select(Assignment.specialist_id).join(Need).where(
            Assignment.plan_id == plan.id, Need.request_id == request.id
        )
        people = list(session.scalars(
            select(Specialist)
            .where(Specialist.active, or_(Specialist.id.in_(qualified), Specialist.id.in_(placed)))
            .options(selectinload(Specialist.skills).selectinload(SpecialistSkill.skill),
                     selectinload(Specialist.unavailability), selectinload(Specialist.municipality))
            .order_by(Specialist.id)
        ))
        ids = [s.id for s in people]
        in_window = Assignment.week.between(request.first_week, request.last_week)
        rows = list(session.scalars(
            select(Assignment).where(Assignment.plan_id == plan.id, Assignment.specialist_id.in_(ids), in_window)
            .options(selectinload(Assignment.need).selectinload(Need.request))
        ))
        requests = {request.id: request}
        other = {a.need.request_id for a in rows} - {request.id}
        for r in session.scalars(
            select(Request).where(Request.id.in_(other))
            .options(selectinload(Request.needs).selectinload(Need.skill), selectinload(Request.municipality))
        ):
            requests[r.id] = r
        contract = partner_contract(session, start, weeks)
        partner = partner_doc(contract)
        self.partner_budget = contract.budget_hours if contract else 0
        if partner is not None:
            # The budget is shared with requests outside this cut: what they use is gone for these.
            consultants = {s.id for s in people if s.kind == "partner"}
            used_here = sum(a.hours for a in rows if a.specialist_id in consultants)
            used_all = session.scalar(
                select(func.coalesce(func.sum(Assignment.hours), 0)).join(Specialist)
                .where(Assignment.plan_id == plan.id, Specialist.kind == "partner")
            ) or 0
            partner["budget_hours"] = max(0, partner["budget_hours"] - (used_all - used_here))
        codes = {s.id: s.code for s in people}
        skills = {s.code: s.name for s in session.scalars(select(Skill).order_by(Skill.id))}
        doc: dict[str, Any] = {
            "format": INSTANCE_FORMAT,
            "horizon": {"start": start.isoformat(), "weeks": weeks},
            "skills": [{"id": code, "name": name} for code, name in skills.items()],
            "municipalities": [
                {"id": m.code, "name": m.name, "committed_hours_per_week": 0}
                for m in session.scalars(select(Municipality).order_by(Municipality.id))
            ],
            "specialists": [specialist_doc(s, start, weeks) for s in people],
            "partner": partner,
            "requests": [request_doc(r, start, weeks) for r in requests.values()],
            "previous_plan": self._previous(session, set(requests), set(codes)),
        }
        self.instance = instance_from_document(doc, check=False)  # made from the database just now
        self.assignments = tuple(
            si.Assignment(a.need.request.code, a.need.position, codes[a.specialist_id], w, a.hours, a.pinned)
            for a in rows
            for w in [week_index(start, a.week)]
            if 0 <= w < weeks
        )
        self.frozen_weeks = int(plan.parameters.get("frozen_weeks", 0) or 0)
        self.names = Names(
            horizon_start=start,
            specialists={s.code: s.name for s in people},
            requests={r.code: (r.title, r.municipality.name) for r in requests.values()},
            skills=skills,
        )

    def _previous(self, session: Session, request_ids: set[int], specialist_ids: set[int]) -> list[dict[str, Any]]:
        """The published plan's hours of these people on these requests, unless this plan is the published one."""
        published = published_plan(session)
        if published is None or published.id == self.plan.id:
            return []
        out = []
        for a in session.scalars(
            select(Assignment).join(Need)
            .where(Assignment.plan_id == published.id, Need.request_id.in_(request_ids),
                   Assignment.specialist_id.in_(specialist_ids))
            .options(selectinload(Assignment.need).selectinload(Need.request), selectinload(Assignment.specialist))
        ):
            w = week_index(self.plan.horizon_start, a.week)
            if 0 <= w < self.plan.horizon_weeks:
                out.append({"request": a.need.request.code, "need": a.need.position, "specialist": a.specialist.code,
                            "week": w, "hours": a.hours, "pinned": a.pinned})
        return out

    def _result(self) -> PlanResult:
        return PlanResult(status="", assignments=self.assignments, unmet=(), kpis={}, solver={},
                          frozen_weeks=self.frozen_weeks)

    def assignment_reasons(self) -> dict[tuple[int, str], Explanation]:
        return assignment_reasons(self.instance, self._result(), self.request.code)

    def unmet_facts(self) -> dict[tuple[int, str], dict[str, Any]]:
        return {(u.need, u.reason): u.facts for u in self.unmet()}

    def unmet(self) -> list[SolverUnmet]:
        prep = prepare(self.instance, self.frozen_weeks)
        out = explain_unmet(prep, list(self.assignments), only={self.request.code})
        for u in out:
            if "budget_hours" in u.facts:
                u.facts["budget_hours"] = self.partner_budget  # the whole budget, not what this cut had left
        return out
