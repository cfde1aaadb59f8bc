"""Reading stored plans: the list, one plan, and the specialists × weeks grid of a plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from pool.errors import NotFound
from pool.models import Assignment, Municipality, Need, Plan, Request, Specialist, SpecialistSkill, UnmetNeed
from pool.services.paging import paginate
from pool.weeks import week_start

GRID_PAGE_SIZE = 50


def list_plans(session: Session) -> list[Plan]:
    """Return every plan, the newest first."""
    return list(session.scalars(select(Plan).order_by(Plan.id.desc())))


def get_plan(session: Session, plan_id: int) -> Plan:
    """Return a plan, or say it does not exist."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"there is no plan {plan_id}")
    return plan


def shortfalls(session: Session, plan: Plan, limit: int) -> list[Any]:
    """Return the requests with the most hours a plan leaves unfilled: id, code, title, municipality, hours."""
    unfilled = func.sum(UnmetNeed.hours)
    return list(session.execute(
        select(Request.id, Request.code, Request.title, Municipality.name.label("municipality"),
               unfilled.label("hours"))
        .join(Need, Need.id == UnmetNeed.need_id).join(Request, Request.id == Need.request_id)
        .join(Municipality, Municipality.id == Request.municipality_id)
        .where(UnmetNeed.plan_id == plan.id)
        .group_by(Request.id, Request.code, Request.title, Municipality.name)
        .order_by(unfilled.desc(), Request.code).limit(limit)
    ).all())


def plan_weeks(plan: Plan) -> list[dt.date]:
    """Return the Monday of every week of the plan's horizon."""
    return [week_start(plan.horizon_start, w) for w in range(plan.horizon_weeks)]


@dataclass(frozen=True)
class GridFilter:
    skill_id: int | None = None
    municipality_id: int | None = None  # the specialist's home, or a municipality it works for in the plan
    name: str = ""  # part of the specialist's name or code
    page: int = 1


@dataclass(frozen=True)
class CellPart:
    """Hours one specialist works for one request in one week."""

    hours: int
    request_id: int
    request_code: str
    request_title: str
    municipality_id: int
    municipality: str


@dataclass
class GridRow:
    specialist: Specialist
    cells: list[list[CellPart]]  # one list per week of the horizon
    hours: int = 0


@dataclass
class GridPage:
    weeks: list[dt.date]
    rows: list[GridRow]
    page: int
    pages: int
    total: int  # specialists that match the filter
    municipalities: dict[int, str] = field(default_factory=dict)  # those on this page, for the legend


def grid(session: Session, plan: Plan, where: GridFilter) -> GridPage:
    """Return one page of specialists with the hours they work in each week of the plan."""
    stmt = select(Specialist).where(Specialist.active)
    if where.name.strip():
        like = f"%{where.name.strip()}%"
        stmt = stmt.where(or_(Specialist.name.ilike(like), Specialist.code.ilike(like)))
    if where.skill_id is not None:
        stmt = stmt.where(exists().where(SpecialistSkill.specialist_id == Specialist.id,
                                         SpecialistSkill.skill_id == where.skill_id))
    if where.municipality_id is not None:
        works_for = (
            select(Assignment.id)
            .join(Need, Need.id == Assignment.need_id)
            .join(Request, Request.id == Need.request_id)
            .where(Assignment.plan_id == plan.id, Assignment.specialist_id == Specialist.id,
                   Request.municipality_id == where.municipality_id)
        )
        stmt = stmt.where(or_(Specialist.municipality_id == where.municipality_id, works_for.exists()))
    found = paginate(session, stmt.options(selectinload(Specialist.municipality))
                     .order_by(Specialist.name, Specialist.id), where.page, GRID_PAGE_SIZE)
    people: list[Specialist] = found.rows
    weeks = plan_weeks(plan)
    index = {monday: i for i, monday in enumerate(weeks)}
    rows = {s.id: GridRow(s, [[] for _ in weeks]) for s in people}
    municipalities: dict[int, str] = {}
    hours: dict[tuple[int, int, int], int] = defaultdict(int)
    about: dict[int, tuple[str, str, int, str]] = {}
    for sid, week, h, rid, code, title, mid, mname in session.execute(
        select(Assignment.specialist_id, Assignment.week, Assignment.hours, Request.id, Request.code, Request.title,
               Municipality.id, Municipality.name)
        .join(Need, Need.id == Assignment.need_id)
        .join(Request, Request.id == Need.request_id)
        .join(Municipality, Municipality.id == Request.municipality_id)
        .where(Assignment.plan_id == plan.id, Assignment.specialist_id.in_(list(rows)))
    ):
        if week in index:
            hours[sid, index[week], rid] += h  # two needs of one request in one week make one part
            about[rid] = (code, title, mid, mname)
    for (sid, w, rid), h in sorted(hours.items()):
        code, title, mid, mname = about[rid]
        rows[sid].cells[w].append(CellPart(h, rid, code, title, mid, mname))
        rows[sid].hours += h
        municipalities[mid] = mname
    return GridPage(weeks, list(rows.values()), found.number, found.pages, found.total,
                    dict(sorted(municipalities.items(), key=lambda kv: kv[1])))
