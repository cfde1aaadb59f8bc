"""Requests whose window leaves the planning horizon: no plan can give them their weeks, so people are told.

The horizon is the cooperation's own (its first Monday and number of weeks, set by `pool import`); it does not
move with the calendar. A request is written inside it (pool.services.requests refuses one outside); when a
new horizon leaves an approved request behind, its team lead and the coordinators are told once, and the
coordinator's overview lists it until the request or the horizon changes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from pool.models import Cooperation, Request, User
from pool.services.notifications import notify
from pool.weeks import week_start

LIVE = ("submitted", "approved", "planned")  # the requests that still wait to be planned, or are planned
KIND = "outside-horizon"


def bounds(coop: Cooperation) -> tuple[dt.date, dt.date]:
    """The Mondays of the horizon's first and last week."""
    return coop.horizon_start, week_start(coop.horizon_start, coop.horizon_weeks - 1)


def outside_horizon(session: Session, municipality_id: int | None = None) -> list[Request]:
    """The live requests whose window does not lie wholly within the horizon, oldest first."""
    coop = session.scalars(select(Cooperation).order_by(Cooperation.id)).first()
    if coop is None:
        return []
    first, last = bounds(coop)
    stmt = (select(Request).where(Request.status.in_(LIVE), or_(Request.first_week < first, Request.last_week > last))
            .options(selectinload(Request.municipality)).order_by(Request.first_week, Request.id))
    if municipality_id is not None:
        stmt = stmt.where(Request.municipality_id == municipality_id)
    return list(session.scalars(stmt))


def flag_left_behind(session: Session, before: tuple[dt.date, dt.date] | None, coop: Cooperation) -> int:
    """Tell the team lead and the coordinators of each approved request the new horizon leaves behind.

    Called in the caller's transaction when the horizon changes; a request already outside the old horizon
    was flagged then. Returns how many notifications were written.
    """
    first, last = bounds(coop)
    coordinators = list(session.scalars(select(User).where(User.role == "coordinator", User.active)))
    told = 0
    for request in outside_horizon(session):
        if request.status == "submitted":
            continue  # the coordinator sees it on the overview and cannot approve it as it is
        if before is not None and (request.first_week < before[0] or request.last_week > before[1]):
            continue
        leads = session.scalars(select(User).where(User.role == "team_lead", User.active,
                                                   User.municipality_id == request.municipality_id))
        facts = {"request": request.code, "title": request.title, "first": first.isoformat(),
                 "last": last.isoformat()}
        told += notify(session, [*leads, *coordinators], KIND, facts, f"/requests/{request.id}")
    return told
