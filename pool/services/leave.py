"""The rules of leave and home duties, and where they clash with the published plan.

Leave is the pool hours a specialist is away in a week, so it is never more than the specialist's pool hours
per week, and two periods never count the same week twice beyond them: a period of the same kind that
overlaps one already recorded is refused (change or remove that one), and periods of another kind may overlap
as long as together they stay within the pool hours. A period that takes hours the published plan has given
the specialist is a clash: the specialist sees it when recording it, the coordinators are told and their
overview names it as a reason to plan again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pool.errors import PoolError
from pool.models import Assignment, Specialist, User
from pool.services.exchange import published_plan
from pool.services.notifications import notify
from pool.weeks import monday, week_index, week_start

CLASH_KIND = "leave-clash"


class Period(Protocol):
    kind: str
    start_date: dt.date
    end_date: dt.date
    hours_per_week: int


@dataclass(frozen=True)
class Clash:
    """A week in which the published plan gives a specialist more hours than leave leaves free."""

    specialist_id: int
    specialist: str
    week: dt.date  # its Monday
    planned: int
    free: int


def _touches(period: Period, week: dt.date) -> bool:
    return period.start_date <= week + dt.timedelta(days=6) and period.end_date >= week


def _weeks(period: Period) -> list[dt.date]:
    first = monday(period.start_date)
    return [week_start(first, i) for i in range(week_index(first, period.end_date) + 1)]


def check_leave(specialist: Specialist, new: Period) -> None:
    """Refuse leave beyond the specialist's pool hours, and overlaps that would count hours twice."""
    pool = specialist.pool_hours_per_week
    if new.hours_per_week > pool:
        raise PoolError("leave counts the pool hours you are away, at most your %(max)s pool hours a week",
                        field="hours_per_week", max=pool)
    for old in specialist.unavailability:
        if old.kind == new.kind and old.start_date <= new.end_date and old.end_date >= new.start_date:
            raise PoolError("this period overlaps your %(kind)s of %(first)s to %(last)s; change or remove that "
                            "one first", field="start_date", kind=old.kind, first=old.start_date.isoformat(),
                            last=old.end_date.isoformat())
    for week in _weeks(new):
        away = new.hours_per_week + sum(u.hours_per_week for u in specialist.unavailability if _touches(u, week))
        if away > pool:
            raise PoolError("together with what you recorded already, you would be away %(away)s hours in the "
                            "week of %(week)s, more than your %(max)s pool hours", field="hours_per_week",
                            away=away, week=week.isoformat(), max=pool)


def plan_clashes(session: Session, specialist_id: int | None = None) -> list[Clash]:
    """The weeks of the published plan where a specialist is planned for more hours than leave leaves free."""
    plan = published_plan(session)
    if plan is None:
        return []
    stmt = (select(Assignment.specialist_id, Assignment.week, func.sum(Assignment.hours))
            .where(Assignment.plan_id == plan.id).group_by(Assignment.specialist_id, Assignment.week))
    if specialist_id is not None:
        stmt = stmt.where(Assignment.specialist_id == specialist_id)
    planned = {(sid, week): int(hours) for sid, week, hours in session.execute(stmt)}
    people = {s.id: s for s in session.scalars(
        select(Specialist).where(Specialist.id.in_({sid for sid, _ in planned}))
        .options(selectinload(Specialist.unavailability)))}
    return [clash for (sid, week), hours in sorted(planned.items(), key=lambda kv: (kv[0][1], kv[0][0]))
            if (clash := _clash(people[sid], week, hours)) is not None]


def _clash(specialist: Specialist, week: dt.date, planned: int) -> Clash | None:
    away = sum(u.hours_per_week for u in specialist.unavailability if _touches(u, week))
    if not away:
        return None
    free = max(0, specialist.pool_hours_per_week - away)
    return Clash(specialist.id, specialist.name, week, planned, free) if planned > free else None


def clashes_of(session: Session, specialist: Specialist, period: Period) -> list[Clash]:
    """The clashes in the weeks one period touches."""
    return [c for c in plan_clashes(session, specialist.id) if _touches(period, c.week)]


def tell_coordinators(session: Session, specialist: Specialist, clashes: Iterable[Clash]) -> int:
    """Notify the coordinators of new clashes, in the caller's transaction: the plan needs another run."""
    weeks = sorted({c.week.isoformat() for c in clashes})
    if not weeks:
        return 0
    coordinators = session.scalars(select(User).where(User.role == "coordinator", User.active))
    return notify(session, coordinators, CLASH_KIND,
                  {"specialist": specialist.code, "name": specialist.name, "weeks": weeks[:20]}, "/dashboard")


def by_specialist(clashes: Iterable[Clash]) -> dict[str, list[Clash]]:
    """Clashes grouped under the specialist's name, for the overview."""
    grouped: dict[str, list[Clash]] = defaultdict(list)
    for c in clashes:
        grouped[c.specialist].append(c)
    return dict(grouped)
