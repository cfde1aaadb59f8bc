"""Specialists: their own assignments, leave and skill profile; the coordinator's keeping of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from pool.errors import NotFound, PoolError
from pool.models import (
    UNAVAILABILITY_KINDS,
    Assignment,
    Municipality,
    Need,
    Request,
    Skill,
    SkillChange,
    Specialist,
    SpecialistSkill,
    Unavailability,
    User,
)
from pool.services import leave
from pool.services.audit import apply, pairs, record
from pool.services.exchange import published_plan
from pool.services.paging import Page, paginate
from pool.services.pool_admin import MAX_RATE
from pool.services.transaction import Edit, transaction

LIST_PAGE_SIZE = 100


def own_specialist(session: Session, user: User) -> Specialist:
    """Return the specialist a specialist account belongs to."""
    specialist = session.get(Specialist, user.specialist_id) if user.specialist_id else None
    if user.role != "specialist" or specialist is None:
        raise NotFound("this account belongs to no specialist")
    return specialist


@dataclass
class WeekRow:
    week: dt.date
    hours: int
    request_code: str
    request_title: str
    municipality: str
    skill: str
    need_id: int


def assignments_of(session: Session, specialist: Specialist) -> list[WeekRow]:
    """Return the specialist's assignments in the published plan, week by week."""
    plan = published_plan(session)
    if plan is None:
        return []
    rows = session.scalars(
        select(Assignment)
        .where(Assignment.plan_id == plan.id, Assignment.specialist_id == specialist.id)
        .options(selectinload(Assignment.need).selectinload(Need.request).selectinload(Request.municipality),
                 selectinload(Assignment.need).selectinload(Need.skill))
        .order_by(Assignment.week, Assignment.id)
    )
    return [
        WeekRow(a.week, a.hours, a.need.request.code, a.need.request.title, a.need.request.municipality.name,
                a.need.skill.name, a.need_id)
        for a in rows
    ]


@dataclass
class UnavailabilityInput:
    kind: str
    start_date: dt.date
    end_date: dt.date
    hours_per_week: int
    note: str = ""


def add_unavailability(session: Session, user: User, specialist: Specialist,
                       data: UnavailabilityInput) -> Unavailability:
    """Record leave or a home duty: hours a week away from the pool over a date range."""
    if data.kind not in UNAVAILABILITY_KINDS:
        raise PoolError("unknown kind %(kind)r", field="kind", kind=data.kind)
    if data.end_date < data.start_date:
        raise PoolError("the end date lies before the start date", field="end_date")
    if not 1 <= data.hours_per_week <= 168:
        raise PoolError("hours a week lie between 1 and 168", field="hours_per_week")
    row = Unavailability(kind=data.kind, start_date=data.start_date, end_date=data.end_date,
                         hours_per_week=data.hours_per_week, note=data.note.strip())
    leave.check_leave(specialist, row)
    with transaction(session):
        specialist.unavailability.append(row)
        session.flush()
        leave.tell_coordinators(session, specialist, leave.clashes_of(session, specialist, row))
        record(session, user, "create", "unavailability", row.id,
               {"specialist": specialist.code} | pairs({}, _period(row)))
    return row


def delete_unavailability(session: Session, user: User, specialist: Specialist, unavailability_id: int) -> None:
    """Remove a period of leave or home duty of this specialist."""
    row = session.get(Unavailability, unavailability_id)
    if row is None or row.specialist_id != specialist.id:
        raise NotFound(f"there is no leave {unavailability_id}")
    with transaction(session):
        record(session, user, "delete", "unavailability", row.id,
               {"specialist": specialist.code} | pairs(_period(row), {}))
        session.delete(row)


def _period(row: Unavailability) -> dict[str, object]:
    return {"kind": row.kind, "start_date": row.start_date, "end_date": row.end_date,
            "hours_per_week": row.hours_per_week, "note": row.note}


def _level(specialist: Specialist, skill_id: int) -> int:
    return next((s.level for s in specialist.skills if s.skill_id == skill_id), 0)


def pending_changes(session: Session, specialist: Specialist | None = None) -> list[SkillChange]:
    """Return the skill-level changes waiting for a coordinator, of one specialist or of all."""
    stmt = select(SkillChange).where(SkillChange.status == "pending").options(
        selectinload(SkillChange.specialist), selectinload(SkillChange.skill)
    )
    if specialist is not None:
        stmt = stmt.where(SkillChange.specialist_id == specialist.id)
    return list(session.scalars(stmt.order_by(SkillChange.requested_at, SkillChange.id)))


def count_pending_changes(session: Session) -> int:
    """Return how many skill-level changes wait for a coordinator."""
    return session.scalar(select(func.count()).select_from(SkillChange).where(SkillChange.status == "pending")) or 0


def propose_skill_change(session: Session, user: User, specialist: Specialist, skill_id: int, level: int,
                         note: str = "") -> SkillChange:
    """Ask for a new level in a skill (0 removes it); it counts once a coordinator approves."""
    if session.get(Skill, skill_id) is None:
        raise PoolError("unknown skill", field="skill_id")
    if not 0 <= level <= 5:
        raise PoolError("a level lies between 1 and 5 (0 removes the skill)", field="level")
    current = _level(specialist, skill_id)
    if level == current:
        raise PoolError("that is already your level", field="level")
    with transaction(session):
        for old in pending_changes(session, specialist):
            if old.skill_id == skill_id:
                old.status = "withdrawn"
                record(session, user, "withdraw", "skill_change", old.id, {"status": ["pending", "withdrawn"]})
        change = SkillChange(specialist_id=specialist.id, skill_id=skill_id, level=level, previous_level=current,
                             note=note.strip(), requested_by_id=user.id)
        session.add(change)
        session.flush()
        record(session, user, "propose", "skill_change", change.id,
               {"specialist": specialist.code, "skill_id": skill_id, "level": [current, level]}, note)
    return change


def _set_level(session: Session, specialist: Specialist, skill_id: int, level: int) -> None:
    held = next((s for s in specialist.skills if s.skill_id == skill_id), None)
    if level == 0:
        if held is not None:
            specialist.skills.remove(held)
    elif held is None:
        specialist.skills.append(SpecialistSkill(skill_id=skill_id, level=level))
    else:
        held.level = level


def decide_skill_change(session: Session, user: User, change_id: int, approve: bool, reason: str = "") -> SkillChange:
    """Approve a pending skill-level change (the level takes effect) or reject it with a reason."""
    if user.role != "coordinator":
        raise PoolError("only the coordinator approves skill levels")
    change = session.get(SkillChange, change_id)
    if change is None or change.status != "pending":
        raise NotFound(f"there is no pending skill change {change_id}")
    if not approve and not reason.strip():
        raise PoolError("say why the change is rejected", field="reason")
    with transaction(session):
        if approve:
            _set_level(session, change.specialist, change.skill_id, change.level)
        change.status = "approved" if approve else "rejected"
        change.decided_by_id, change.decided_at, change.reason = user.id, dt.datetime.now(dt.UTC), reason.strip()
        level = [change.previous_level, change.level] if approve else [change.previous_level] * 2
        record(session, user, "approve" if approve else "reject", "skill_change", change.id,
               {"specialist": change.specialist.code, "skill_id": change.skill_id, "status": ["pending", change.status],
                "level": level}, reason)
    return change


# The coordinator keeps the pool's specialists.

def list_specialists(session: Session, query: str = "", page: int = 1, size: int = LIST_PAGE_SIZE) -> Page[Specialist]:
    """Return one page of the specialists whose code, name or home municipality holds the query."""
    stmt = select(Specialist).outerjoin(Municipality).options(
        selectinload(Specialist.municipality), selectinload(Specialist.skills)
    )
    if query.strip():
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(Specialist.code.ilike(like), Specialist.name.ilike(like), Municipality.name.ilike(like)))
    return paginate(session, stmt.order_by(Specialist.code), page, size)


def get_specialist(session: Session, specialist_id: int) -> Specialist:
    """Return a specialist by id."""
    specialist = session.get(Specialist, specialist_id)
    if specialist is None:
        raise NotFound(f"there is no specialist {specialist_id}")
    return specialist


@dataclass
class SpecialistInput:
    name: str
    municipality_id: int | None
    pool_hours_per_week: int
    hourly_cost: int = 0
    active: bool = True
    code: str = ""
    version: int | None = None  # the version the user saw; None when no page showed one


def _check_specialist(session: Session, data: SpecialistInput) -> None:
    if not data.name.strip():
        raise PoolError("a specialist needs a name", field="name")
    if data.municipality_id is not None and session.get(Municipality, data.municipality_id) is None:
        raise PoolError("unknown municipality", field="municipality_id")
    if not 0 <= data.pool_hours_per_week <= 60:
        raise PoolError("pool hours a week lie between 0 and 60", field="pool_hours_per_week")
    if not 0 <= data.hourly_cost <= MAX_RATE:
        raise PoolError("the hourly cost lies between 0 and %(max)s euro", field="hourly_cost", max=MAX_RATE)


def _next_code(session: Session) -> str:
    """The first free code of the S0001 series, for a specialist added without one (the code is optional)."""
    n = (session.scalar(select(func.count()).select_from(Specialist)) or 0) + 1
    while session.scalars(select(Specialist.id).where(Specialist.code == f"S{n:04d}")).first() is not None:
        n += 1
    return f"S{n:04d}"


def create_specialist(session: Session, user: User, data: SpecialistInput) -> Specialist:
    """Add a specialist of a municipality (or, without one, of the knowledge partner)."""
    _check_specialist(session, data)
    code = data.code.strip().upper() or _next_code(session)
    if session.scalars(select(Specialist).where(Specialist.code == code)).first() is not None:
        raise PoolError("the code %(code)s is taken", field="code", code=code)
    specialist = Specialist(code=code, name=data.name.strip(), municipality_id=data.municipality_id,
                            kind="internal" if data.municipality_id else "partner",
                            pool_hours_per_week=data.pool_hours_per_week, hourly_cost=data.hourly_cost,
                            active=data.active)
    with transaction(session):
        session.add(specialist)
        session.flush()
        record(session, user, "create", "specialist", specialist.code, pairs({}, {
            "name": specialist.name, "municipality_id": specialist.municipality_id, "kind": specialist.kind,
            "pool_hours_per_week": specialist.pool_hours_per_week, "hourly_cost": specialist.hourly_cost,
            "active": specialist.active}))
    return specialist


def update_specialist(session: Session, user: User, specialist_id: int, data: SpecialistInput) -> Specialist:
    """Change a specialist's name, home, pool hours, cost or whether it is active."""
    specialist = get_specialist(session, specialist_id)
    _check_specialist(session, data)
    values = {"name": data.name.strip(), "municipality_id": data.municipality_id,
              "kind": "internal" if data.municipality_id else "partner",
              "pool_hours_per_week": data.pool_hours_per_week, "hourly_cost": data.hourly_cost,
              "active": data.active}
    with transaction(session, Edit(user, specialist, "specialist", specialist.code, data.version)):
        record(session, user, "update", "specialist", specialist.code, apply(specialist, values))
    return specialist


def set_skill_level(session: Session, user: User, specialist_id: int, skill_id: int, level: int) -> Specialist:
    """Set a specialist's level in a skill directly (0 removes it); the coordinator's own change."""
    specialist = get_specialist(session, specialist_id)
    if session.get(Skill, skill_id) is None:
        raise PoolError("unknown skill")
    if not 0 <= level <= 5:
        raise PoolError("a level lies between 1 and 5 (0 removes the skill)")
    with transaction(session):
        before = _level(specialist, skill_id)
        _set_level(session, specialist, skill_id, level)
        record(session, user, "set-level", "specialist", specialist.code,
               {"skill_id": skill_id, "level": [before, level]})
    return specialist
