"""A specialist's pool hours week by week: pool hours minus leave and home duties, never below zero."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import Specialist, Unavailability
from pool.weeks import week_start


def hours_off(unavailability: Iterable[Unavailability], start: dt.date, weeks: int) -> dict[int, int]:
    """Hours away from the pool per week number of the horizon: every range that touches the week counts."""
    off: dict[int, int] = defaultdict(int)
    for u in unavailability:
        for w in range(weeks):
            monday = week_start(start, w)
            if u.start_date <= monday + dt.timedelta(days=6) and u.end_date >= monday:
                off[w] += u.hours_per_week
    return off


def free_hours(pool_hours: int, off: dict[int, int], weeks: int) -> list[int]:
    """The hours a specialist can give the pool in each week."""
    return [max(0, pool_hours - off.get(w, 0)) for w in range(weeks)]


def free_hours_by_specialist(session: Session, start: dt.date, weeks: int) -> dict[int, list[int]]:
    """Every active specialist's free pool hours per horizon week, in two queries."""
    end = week_start(start, weeks)
    away: dict[int, list[Unavailability]] = defaultdict(list)
    for u in session.scalars(select(Unavailability).where(Unavailability.end_date >= start,
                                                          Unavailability.start_date < end)):
        away[u.specialist_id].append(u)
    return {
        sid: free_hours(pool, hours_off(away.get(sid, ()), start, weeks), weeks)
        for sid, pool in session.execute(select(Specialist.id, Specialist.pool_hours_per_week).where(Specialist.active))
    }
