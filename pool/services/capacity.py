"""Capacity per skill and week: supply of free pool hours, demand of approved and planned needs, planned hours."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pool.errors import NotFound
from pool.models import Assignment, Need, Request, Skill, Specialist, SpecialistSkill
from pool.services.availability import free_hours_by_specialist
from pool.services.exchange import PLANNABLE, cooperation, published_plan
from pool.weeks import week_index, week_start


@dataclass(frozen=True)
class Cell:
    supply: int
    demand: float
    planned: int

    @property
    def load(self) -> float | None:
        """Demand over supply; None when there is demand but no supply at all."""
        if self.supply:
            return self.demand / self.supply
        return None if self.demand else 0.0


@dataclass(frozen=True)
class SkillRow:
    skill: Skill
    cells: list[Cell]


@dataclass(frozen=True)
class Capacity:
    weeks: list[dt.date]  # Mondays
    min_level: int
    rows: list[SkillRow]


def _windows(session: Session, start: dt.date, weeks: int, skill_id: int | None = None) -> list[Request]:
    end = week_start(start, weeks)
    query = (select(Request).where(Request.status.in_(PLANNABLE), Request.last_week >= start, Request.first_week < end)
             .options(selectinload(Request.needs), selectinload(Request.municipality)).order_by(Request.code))
    if skill_id is not None:
        query = query.where(Request.id.in_(select(Need.request_id).where(Need.skill_id == skill_id)))
    return list(session.scalars(query))


def capacity(session: Session, min_level: int = 1) -> Capacity:
    """The heatmap's numbers for every skill and week of the horizon."""
    coop = cooperation(session)
    start, weeks = coop.horizon_start, coop.horizon_weeks
    free = free_hours_by_specialist(session, start, weeks)
    supply: dict[int, list[int]] = defaultdict(lambda: [0] * weeks)
    held = session.execute(
        select(SpecialistSkill.skill_id, SpecialistSkill.specialist_id)
        .join(Specialist, Specialist.id == SpecialistSkill.specialist_id)
        .where(Specialist.active, Specialist.kind == "internal", SpecialistSkill.level >= min_level)
    )
    people: dict[int, list[int]] = defaultdict(list)
    for skill_id, sid in held:
        people[skill_id].append(sid)
    for skill_id, ids in people.items():
        rows = [free[sid] for sid in ids if sid in free]
        if rows:
            supply[skill_id] = [sum(week) for week in zip(*rows, strict=True)]
    demand: dict[int, list[float]] = defaultdict(lambda: [0.0] * weeks)
    end = week_start(start, weeks)
    for skill_id, hours, first_week, last_week in session.execute(
        select(Need.skill_id, Need.hours, Request.first_week, Request.last_week)
        .join(Request, Request.id == Need.request_id)
        .where(Request.status.in_(PLANNABLE), Request.last_week >= start, Request.first_week < end)
    ):
        first, last = max(0, week_index(start, first_week)), min(weeks - 1, week_index(start, last_week))
        row, share = demand[skill_id], hours / (last - first + 1)
        for w in range(first, last + 1):
            row[w] += share
    planned: dict[int, list[int]] = defaultdict(lambda: [0] * weeks)
    plan = published_plan(session)
    if plan is not None:
        for skill_id, week, hours in session.execute(
            select(Need.skill_id, Assignment.week, func.sum(Assignment.hours))
            .join(Need, Need.id == Assignment.need_id).where(Assignment.plan_id == plan.id)
            .group_by(Need.skill_id, Assignment.week)
        ):
            w = week_index(start, week)
            if 0 <= w < weeks:
                planned[skill_id][w] += int(hours)
    skill_rows = [SkillRow(s, [Cell(supply[s.id][w], round(demand[s.id][w], 1), planned[s.id][w])
                               for w in range(weeks)])
                  for s in session.scalars(select(Skill).order_by(Skill.name))]
    return Capacity([week_start(start, w) for w in range(weeks)], min_level, skill_rows)


@dataclass(frozen=True)
class Holder:
    code: str
    name: str
    home: str  # municipality name, "" for the partner
    kind: str
    level: int
    pool_hours_per_week: int


@dataclass(frozen=True)
class Wanted:
    request: Request
    min_level: int
    hours: int


@dataclass(frozen=True)
class SkillDetail:
    skill: Skill
    holders: list[Holder]
    wanted: list[Wanted]


def skill_detail(session: Session, code: str) -> SkillDetail:
    """Who holds a skill (best level first) and which requests in the horizon want it."""
    skill = session.scalars(select(Skill).where(Skill.code == code)).first()
    if skill is None:
        raise NotFound(f"there is no skill {code!r}")
    rows = session.scalars(
        select(SpecialistSkill).join(Specialist, Specialist.id == SpecialistSkill.specialist_id)
        .where(SpecialistSkill.skill_id == skill.id, Specialist.active)
        .options(selectinload(SpecialistSkill.specialist).selectinload(Specialist.municipality))
        .order_by(SpecialistSkill.level.desc(), Specialist.name)
    )
    holders = [Holder(h.specialist.code, h.specialist.name, h.specialist.municipality.name
                      if h.specialist.municipality else "", h.specialist.kind, h.level,
                      h.specialist.pool_hours_per_week) for h in rows]
    coop = cooperation(session)
    wanted = [Wanted(r, n.min_level, n.hours) for r in _windows(session, coop.horizon_start, coop.horizon_weeks,
                                                                skill.id)
              for n in r.needs if n.skill_id == skill.id]
    return SkillDetail(skill, holders, wanted)
