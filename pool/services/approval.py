"""What a coordinator needs to decide on a submitted request: who is qualified, their free hours in the
window, how long the request has waited, which one waits next; and approving several at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pool.errors import NotWaiting, PoolError
from pool.models import Assignment, AuditEvent, Cooperation, Need, Request, Specialist, SpecialistSkill, User
from pool.services.availability import free_hours, hours_off
from pool.services.exchange import published_plan
from pool.services.requests import decide_request, get_request
from pool.weeks import week_index, week_start

SHOWN_CANDIDATES = 8  # per need; the rest is a count
MAX_AT_ONCE = 100  # requests approved in one go


@dataclass(frozen=True)
class Candidate:
    specialist: Specialist
    level: int
    free_hours: int  # in the request's window: pool hours minus leave minus what the published plan gives others


@dataclass(frozen=True)
class NeedCandidates:
    need: Need
    candidates: list[Candidate]  # the ones with most free hours first, at most SHOWN_CANDIDATES
    qualified: int  # how many are qualified in all
    free_hours: int  # of all qualified together


@dataclass(frozen=True)
class DecisionFacts:
    waiting_since: dt.datetime
    needs: list[NeedCandidates]
    next_waiting: Request | None  # the longest-waiting other submitted request
    waiting: int  # submitted requests in all, this one included


def waiting_since(session: Session, request: Request) -> dt.datetime:
    """When the request was last submitted (the audit trail), else when it was written."""
    at = session.scalar(select(func.max(AuditEvent.at)).where(
        AuditEvent.entity == "request", AuditEvent.entity_id == request.code, AuditEvent.action == "submitted"))
    return at or request.created_at


def next_waiting(session: Session, request: Request | None = None) -> Request | None:
    """The submitted request that has waited longest, other than `request`."""
    stmt = select(Request).where(Request.status == "submitted")
    if request is not None:
        stmt = stmt.where(Request.id != request.id)
    return session.scalars(stmt.order_by(Request.created_at, Request.id).limit(1)).first()


def decision_facts(session: Session, request: Request) -> DecisionFacts:
    """Gather the facts the approve page shows next to the decision."""
    waiting = session.scalar(select(func.count()).select_from(Request).where(Request.status == "submitted")) or 0
    return DecisionFacts(waiting_since(session, request), [_candidates(session, request, n) for n in request.needs],
                         next_waiting(session, request), waiting)


def _window(session: Session, request: Request) -> tuple[dt.date, list[int]]:
    """The horizon's start and the horizon week numbers of the request's window."""
    coop = session.scalars(select(Cooperation).order_by(Cooperation.id)).first()
    if coop is None:
        return request.first_week, []
    first = max(0, week_index(coop.horizon_start, request.first_week))
    last = min(coop.horizon_weeks - 1, week_index(coop.horizon_start, request.last_week))
    return coop.horizon_start, list(range(first, last + 1))


def _candidates(session: Session, request: Request, need: Need) -> NeedCandidates:
    held = list(session.scalars(
        select(SpecialistSkill).join(Specialist, Specialist.id == SpecialistSkill.specialist_id)
        .where(SpecialistSkill.skill_id == need.skill_id, SpecialistSkill.level >= need.min_level, Specialist.active)
        .options(selectinload(SpecialistSkill.specialist).selectinload(Specialist.municipality),
                 selectinload(SpecialistSkill.specialist).selectinload(Specialist.unavailability))
    ))
    if not request.allow_partner:
        held = [h for h in held if h.specialist.kind != "partner"]
    start, weeks = _window(session, request)
    used = _planned(session, [h.specialist_id for h in held], start, weeks)
    free = {h.specialist_id: _free(h.specialist, start, weeks, used) for h in held}
    ranked = sorted(held, key=lambda h: (-free[h.specialist_id], -h.level, h.specialist.name))
    return NeedCandidates(need, [Candidate(h.specialist, h.level, free[h.specialist_id])
                                 for h in ranked[:SHOWN_CANDIDATES]], len(held), sum(free.values()))


def _planned(session: Session, specialist_ids: list[int], start: dt.date,
             weeks: list[int]) -> dict[tuple[int, int], int]:
    """Hours the published plan already gives each specialist per horizon week."""
    plan = published_plan(session)
    used: dict[tuple[int, int], int] = defaultdict(int)
    if plan is None or not weeks or not specialist_ids:
        return used
    for sid, week, hours in session.execute(
        select(Assignment.specialist_id, Assignment.week, func.sum(Assignment.hours))
        .where(Assignment.plan_id == plan.id, Assignment.specialist_id.in_(specialist_ids),
               Assignment.week >= week_start(start, weeks[0]), Assignment.week <= week_start(start, weeks[-1]))
        .group_by(Assignment.specialist_id, Assignment.week)
    ):
        used[sid, week_index(start, week)] += int(hours)
    return used


def _free(specialist: Specialist, start: dt.date, weeks: list[int], used: dict[tuple[int, int], int]) -> int:
    if not weeks:
        return 0
    span = weeks[-1] + 1
    week_free = free_hours(specialist.pool_hours_per_week, hours_off(specialist.unavailability, start, span), span)
    return sum(max(0, week_free[w] - used[specialist.id, w]) for w in weeks)


def approve_many(session: Session, user: User, request_ids: list[int], reason: str = "") -> list[Request]:
    """Approve several submitted requests; each is a decision of its own, audited like a single approval."""
    if not request_ids:
        raise PoolError("choose at least one request to approve")
    if len(request_ids) > MAX_AT_ONCE:
        raise PoolError(f"approve at most {MAX_AT_ONCE} requests at once")
    ids = list(dict.fromkeys(request_ids))
    chosen = [get_request(session, user, rid) for rid in ids]
    gone = [r.code for r in chosen if r.status != "submitted"]
    if gone:
        raise NotWaiting(gone)
    return [decide_request(session, user, rid, True, reason) for rid in ids]
