"""Requests for expertise: writing, submitting, changing, cancelling, approving, and their outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from pool.errors import NotFound, PoolError
from pool.models import (
    PRIORITIES,
    Assignment,
    Cooperation,
    Municipality,
    Need,
    Plan,
    Request,
    Skill,
    Specialist,
    UnmetNeed,
    User,
)
from pool.models.base import utcnow
from pool.services.audit import apply, record
from pool.services.exchange import published_plan
from pool.services.horizon import bounds as horizon_bounds
from pool.services.paging import Page, paginate
from pool.services.transaction import Edit, transaction
from pool.weeks import monday, week_index

LIST_PAGE_SIZE = 100
MAX_NEEDS = 20  # skills one request asks; more is a project, not a request
TEAM_LEAD_EDITABLE = ("draft", "submitted")
COORDINATOR_EDITABLE = ("draft", "submitted", "approved")
CANCELLABLE = ("draft", "submitted", "approved")


@dataclass
class NeedInput:
    skill_id: int
    min_level: int
    hours: int


@dataclass
class RequestInput:
    title: str
    first_week: dt.date
    last_week: dt.date
    max_hours_per_week: int
    priority: int = 3
    allow_partner: bool = False
    all_or_nothing: bool = False
    description: str = ""
    needs: list[NeedInput] = field(default_factory=list)
    version: int | None = None  # the version the user saw; None when no page showed one


def _visible(stmt, user: User):  # type: ignore[no-untyped-def]
    if user.role == "coordinator":
        return stmt
    if user.role == "team_lead":
        return stmt.where(Request.municipality_id == user.municipality_id)
    return stmt.where(false())


def list_requests(session: Session, user: User, query: str = "", status: str = "", page: int = 1,
                  size: int = LIST_PAGE_SIZE) -> Page[Request]:
    """Return one page of the requests a user may see, newest first, filtered by text and status."""
    stmt = _visible(select(Request), user).options(selectinload(Request.municipality), selectinload(Request.needs))
    if query.strip():
        like = f"%{query.strip()}%"
        stmt = stmt.join(Municipality).where(
            or_(Request.code.ilike(like), Request.title.ilike(like), Municipality.name.ilike(like))
        )
    if status:
        stmt = stmt.where(Request.status == status)
    return paginate(session, stmt.order_by(Request.id.desc()), page, size)


def count_with_status(session: Session, status: str) -> int:
    """Return how many requests have this status (all municipalities)."""
    return session.scalar(select(func.count()).select_from(Request).where(Request.status == status)) or 0


def get_request(session: Session, user: User, request_id: int) -> Request:
    """Return a request the user may see; another municipality's request does not exist for a team lead."""
    request = session.scalars(_visible(select(Request), user).where(Request.id == request_id)).first()
    if request is None:
        raise NotFound(f"there is no request {request_id}")
    return request


def validate(session: Session, data: RequestInput, complete: bool) -> None:
    """Refuse a request that cannot be planned; a draft (complete=False) may still lack needs."""
    if not data.title.strip():
        raise PoolError("a request needs a title", field="title")
    if data.last_week < data.first_week:
        raise PoolError("the last week lies before the first week", field="last_week")
    check_week(session, data.first_week, "first_week")
    check_week(session, data.last_week, "last_week")
    if len(data.needs) > MAX_NEEDS:
        raise PoolError("a request asks at most %(max)s skills", max=MAX_NEEDS)
    if data.max_hours_per_week < 1:
        raise PoolError("the weekly maximum is at least 1 hour", field="max_hours_per_week")
    if data.priority not in PRIORITIES:
        raise PoolError("unknown priority", field="priority")
    for need in data.needs:
        if session.get(Skill, need.skill_id) is None:
            raise PoolError("unknown skill")
        if not 1 <= need.min_level <= 5:
            raise PoolError("a minimum level lies between 1 and 5")
        if need.hours < 1:
            raise PoolError("a need asks at least 1 hour")
    _check_fit(data)
    if complete and not data.needs:
        raise PoolError("a request needs at least one skill")


def horizon(session: Session) -> tuple[dt.date, dt.date] | None:
    """Return the Mondays of the first and last week a request may ask, or None before there is a cooperation.

    The horizon is the cooperation's own (`pool import` sets it); it does not move with the calendar.
    """
    coop = session.scalars(select(Cooperation).order_by(Cooperation.id)).first()
    return None if coop is None else horizon_bounds(coop)


def check_week(session: Session, day: dt.date, field: str | None = None) -> None:
    """Refuse a week of a window that lies outside the planning horizon: no plan could ever include it."""
    bounds = horizon(session)
    if bounds is not None and not bounds[0] <= monday(day) <= bounds[1]:
        first, last = (b.isocalendar() for b in bounds)
        raise PoolError("the window lies within the planning horizon, week %(first)s to week %(last)s",
                        field=field, first=f"{first.week}, {first.year}", last=f"{last.week}, {last.year}")


def _check_fit(data: RequestInput) -> None:
    """Refuse hours that cannot fit the window at the weekly maximum, even with every specialist free."""
    weeks = week_index(monday(data.first_week), data.last_week) + 1
    asked, fits = sum(n.hours for n in data.needs), weeks * data.max_hours_per_week
    if asked > fits:
        raise PoolError("%(asked)s hours do not fit in %(weeks)s weeks at most %(max)s hours a week (at most "
                        "%(fits)s hours fit): ask fewer hours, widen the window or raise the weekly maximum",
                        field="max_hours_per_week", asked=asked, weeks=weeks, max=data.max_hours_per_week,
                        fits=fits)


def _next_code(session: Session) -> str:
    n = (session.scalar(select(func.max(Request.id))) or 0) + 1
    while session.scalar(select(Request.id).where(Request.code == f"R{n:05d}")) is not None:
        n += 1
    return f"R{n:05d}"


def _fill(request: Request, data: RequestInput) -> dict[str, object]:
    values = {
        "title": data.title.strip(), "description": data.description.strip(),
        "first_week": monday(data.first_week), "last_week": monday(data.last_week),
        "max_hours_per_week": data.max_hours_per_week, "priority": data.priority,
        "allow_partner": data.allow_partner, "all_or_nothing": data.all_or_nothing,
    }
    changes: dict[str, object] = dict(apply(request, values))
    old = [(n.skill_id, n.min_level, n.hours) for n in request.needs]
    new = [(n.skill_id, n.min_level, n.hours) for n in data.needs]
    if old != new:
        # Keep the rows that stay at their position: a published plan's assignments point at them.
        for i, (skill_id, level, hours) in enumerate(new):
            if i < len(request.needs):
                need = request.needs[i]
                need.skill_id, need.min_level, need.hours = skill_id, level, hours
            else:
                request.needs.append(Need(position=i, skill_id=skill_id, min_level=level, hours=hours))
        del request.needs[len(new):]
        changes["needs"] = [[list(n) for n in old] or None, [list(n) for n in new]]
    return changes


def create_request(session: Session, user: User, data: RequestInput, submit: bool = False) -> Request:
    """Write a new request of the team lead's municipality, as a draft or submitted at once."""
    if user.role != "team_lead" or user.municipality_id is None:
        raise PoolError("only a team lead writes requests")
    validate(session, data, complete=submit)
    with transaction(session):
        request = Request(code=_next_code(session), municipality_id=user.municipality_id,
                          status="submitted" if submit else "draft", created_by_id=user.id)
        changes = _fill(request, data)
        session.add(request)
        session.flush()
        record(session, user, "create", "request", request.code, changes | {"status": [None, request.status]})
    return request


def update_request(session: Session, user: User, request_id: int, data: RequestInput) -> Request:
    """Change a request: a team lead while draft or submitted (it stays submitted), a coordinator until approved."""
    request = get_request(session, user, request_id)
    editable = COORDINATOR_EDITABLE if user.role == "coordinator" else TEAM_LEAD_EDITABLE
    if request.status not in editable:
        raise PoolError("a request that is %(status)s can no longer be changed", status=request.status)
    validate(session, data, complete=request.status != "draft")
    with transaction(session, Edit(user, request, "request", request.code, data.version)):
        changes = _fill(request, data)
        request.updated_at = utcnow()  # a change of needs only is a new version of the request too
        record(session, user, "update", "request", request.code, changes)
    return request


def _move(session: Session, user: User, request: Request, to: str, reason: str = "",
          version: int | None = None) -> Request:
    with transaction(session, Edit(user, request, "request", request.code, version)):
        record(session, user, to if to != "cancelled" else "cancel", "request", request.code,
               {"status": [request.status, to]}, reason)
        request.status = to
        if reason or to in ("approved", "rejected", "cancelled"):
            request.status_reason = reason.strip()
    return request


def submit_request(session: Session, user: User, request_id: int, version: int | None = None) -> Request:
    """Hand a draft to the coordinator."""
    request = get_request(session, user, request_id)
    if user.role != "team_lead":
        raise PoolError("only the team lead submits a request")
    if request.status != "draft":
        raise PoolError("a request that is %(status)s cannot be submitted", status=request.status)
    if not request.needs:
        raise PoolError("a request needs at least one skill")
    check_week(session, request.first_week)
    check_week(session, request.last_week)
    return _move(session, user, request, "submitted", version=version)


def cancel_request(session: Session, user: User, request_id: int, reason: str = "",
                   version: int | None = None) -> Request:
    """Withdraw a request that is not planned yet."""
    request = get_request(session, user, request_id)
    if request.status not in CANCELLABLE:
        raise PoolError("a request that is %(status)s cannot be cancelled", status=request.status)
    return _move(session, user, request, "cancelled", reason, version)


def decide_request(session: Session, user: User, request_id: int, approve: bool, reason: str = "",
                   version: int | None = None) -> Request:
    """Approve a submitted request for planning, or reject it with a reason."""
    if user.role != "coordinator":
        raise PoolError("only the coordinator approves or rejects requests")
    request = get_request(session, user, request_id)
    if request.status != "submitted":
        raise PoolError("a request that is %(status)s cannot be approved or rejected", status=request.status)
    if not approve and not reason.strip():
        raise PoolError("say why the request is rejected", field="reason")
    if approve:
        check_week(session, request.first_week)
        check_week(session, request.last_week)
    return _move(session, user, request, "approved" if approve else "rejected", reason, version)


@dataclass
class Placement:
    week: dt.date
    skill: str
    specialist: str
    home: str  # municipality name, or "" for the partner
    partner: bool
    hours: int


@dataclass
class Shortfall:
    need: int  # position in the request
    skill: str
    hours: int
    reason: str
    detail: str


@dataclass
class Outcome:
    published: bool
    placements: list[Placement]
    shortfalls: list[Shortfall]
    plan: Plan | None = None

    @property
    def planned_hours(self) -> int:
        return sum(p.hours for p in self.placements)


def outcome(session: Session, request: Request) -> Outcome:
    """Return who comes in which weeks for how many hours, and why the rest is not filled."""
    plan = published_plan(session)
    if plan is None:
        return Outcome(False, [], [])
    need_ids = [n.id for n in request.needs]
    rows = session.scalars(
        select(Assignment)
        .where(Assignment.plan_id == plan.id, Assignment.need_id.in_(need_ids))
        .options(selectinload(Assignment.need).selectinload(Need.skill),
                 selectinload(Assignment.specialist).selectinload(Specialist.municipality))
        .order_by(Assignment.week, Assignment.need_id, Assignment.specialist_id)
    )
    placements = [
        Placement(a.week, a.need.skill.name, a.specialist.name,
                  a.specialist.municipality.name if a.specialist.municipality else "",
                  a.specialist.kind == "partner", a.hours)
        for a in rows
    ]
    unmet = session.scalars(
        select(UnmetNeed).where(UnmetNeed.plan_id == plan.id, UnmetNeed.need_id.in_(need_ids))
        .options(selectinload(UnmetNeed.need).selectinload(Need.skill)).order_by(UnmetNeed.id)
    )
    shortfalls = [Shortfall(u.need.position, u.need.skill.name, u.hours, u.reason, u.detail) for u in unmet]
    return Outcome(True, placements, shortfalls, plan)


def filled_hours(session: Session, request_ids: list[int]) -> dict[int, int]:
    """Hours the published plan gives each of these requests (0 when none or no plan is published)."""
    plan = published_plan(session)
    if plan is None or not request_ids:
        return {}
    rows = session.execute(
        select(Need.request_id, func.sum(Assignment.hours)).join(Assignment, Assignment.need_id == Need.id)
        .where(Assignment.plan_id == plan.id, Need.request_id.in_(request_ids)).group_by(Need.request_id)
    )
    return {rid: int(hours) for rid, hours in rows}
