"""A specialist's pool hours week by week: pool hours minus leave and home duties, never below zero."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import Specialist, Unavailability
from pool.weeks import week_index, week_start


class Away(Protocol):
    """A range of days away from the pool: an Unavailability, or a row of its columns."""

    @property
    def start_date(self) -> dt.date: ...
    @property
    def end_date(self) -> dt.date: ...
    @property
    def hours_per_week(self) -> int: ...


def hours_off(unavailability: Iterable[Away], start: dt.date, weeks: int) -> dict[int, int]:
    """Hours away from the pool per week number of the horizon: every range that touches the week counts."""
    off: dict[int, int] = defaultdict(int)
    for u in unavailability:
        # the weeks from the one holding its first day to the one holding its last day
        for w in range(max(0, week_index(start, u.start_date)), min(weeks - 1, week_index(start, u.end_date)) + 1):
            off[w] += u.hours_per_week
    return off


def free_hours(pool_hours: int, off: dict[int, int], weeks: int) -> list[int]:
    """The hours a specialist can give the pool in each week."""
    return [max(0, pool_hours - off.get(w, 0)) for w in range(weeks)]


def free_hours_by_specialist(session: Session, start: dt.date, weeks: int) -> dict[int, list[int]]:
    """Every active specialist's free pool hours per horizon week, in two queries."""
    end = week_start(start, weeks)
    away: dict[int, list[Away]] = defaultdict(list)
    for u in session.execute(select(Unavailability.specialist_id, Unavailability.start_date, Unavailability.end_date,
                                    Unavailability.hours_per_week)
                             .where(Unavailability.end_date >= start, Unavailability.start_date < end)):
        away[u.specialist_id].append(u)
    return {
        sid: free_hours(pool, hours_off(away[sid], start, weeks), weeks) if sid in away else [max(0, pool)] * weeks
        for sid, pool in session.execute(select(Specialist.id, Specialist.pool_hours_per_week).where(Specialist.active))
    }
