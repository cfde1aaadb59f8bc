"""Who fits a need in a draft: the qualified specialists ranked, and the partner with its budget left."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.errors import PoolError
from pool.models import Municipality, Skill
from pool.services.plan_edits import draft, plan_hours, situation_of
from solver.instance import Instance, Request


@dataclass(frozen=True)
class Fit:
    """One qualified person for a need, with what makes them a good choice."""

    specialist: str  # id in the documents
    name: str
    kind: str  # internal or partner
    home: str | None  # municipality id, None for the partner
    level: int
    free_by_week: tuple[tuple[int, int], ...]  # (week index, free hours) for the window's weeks with free hours
    continuity: int  # hours already planned on this request in the draft
    same_municipality: bool

    @property
    def free_hours(self) -> int:
        return sum(h for _w, h in self.free_by_week)


@dataclass(frozen=True)
class NeedFits:
    request: Request
    need: int
    planned: int  # hours of this need already in the draft
    fits: tuple[Fit, ...]  # internal specialists, best first
    partner: tuple[Fit, ...]  # the partner's consultants, when the request allows them
    partner_budget_left: int | None  # None: no partner contract
    horizon_weeks: int


def who_fits(session: Session, plan_id: int, request_code: str, need: int) -> NeedFits:
    """Rank the specialists qualified for a need of a draft by continuity, free hours, home and level."""
    plan = draft(session, plan_id)
    instance = situation_of(session, plan)
    request = next((r for r in instance.requests if r.id == request_code), None)
    if request is None or not 0 <= need < len(request.needs):
        raise PoolError("request %(request)s has no need %(need)s in the situation being planned",
                        request=request_code, need=str(need))
    hours = plan_hours(plan)
    used: dict[tuple[str, int], int] = defaultdict(int)
    on_request: dict[str, int] = defaultdict(int)
    for a in hours:
        used[a.specialist, a.week] += a.hours
        if a.request == request.id:
            on_request[a.specialist] += a.hours
    fits = [_fit(instance, request, need, s.id, used, on_request) for s in instance.specialists
            if s.level(request.needs[need].skill) >= request.needs[need].min_level]
    internal = sorted((f for f in fits if f.kind == "internal"),
                      key=lambda f: (-f.continuity, -f.free_hours, not f.same_municipality, -f.level, f.name))
    partner = [f for f in fits if f.kind == "partner" and request.allow_partner]
    budget = None
    if instance.partner is not None:
        partner_ids = {s.id for s in instance.specialists if s.kind == "partner"}
        budget = instance.partner.budget_hours - sum(a.hours for a in hours if a.specialist in partner_ids)
    planned = sum(a.hours for a in hours if a.request == request.id and a.need == need)
    return NeedFits(request, need, planned, tuple(internal), tuple(partner), budget, instance.weeks)


def _fit(instance: Instance, request: Request, need: int, sid: str, used: dict[tuple[str, int], int],
         on_request: dict[str, int]) -> Fit:
    s = next(p for p in instance.specialists if p.id == sid)
    notice = instance.partner.min_notice_weeks if instance.partner and s.kind == "partner" else 0
    free = tuple((w, s.capacity(w) - used[sid, w]) for w in range(max(request.start_week, notice),
                                                                   request.end_week + 1)
                 if s.capacity(w) - used[sid, w] > 0)
    return Fit(sid, s.name, s.kind, s.home, s.level(request.needs[need].skill), free, on_request[sid],
               s.home == request.municipality)


def catalogue_names(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """Names of skills and municipalities by their ids in the documents."""
    skills = {c: n for c, n in session.execute(select(Skill.code, Skill.name))}
    towns = {c: n for c, n in session.execute(select(Municipality.code, Municipality.name))}
    return skills, towns
