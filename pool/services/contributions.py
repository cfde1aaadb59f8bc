"""Contributions honoured: per municipality and month, the hours committed, made available and used by the plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pool.models import Assignment, Municipality, Specialist
from pool.services.audit import latest_event
from pool.services.availability import free_hours_by_specialist
from pool.services.exchange import cooperation, published_plan
from pool.weeks import week_index, week_start


@dataclass(frozen=True)
class ContributionLine:
    month: str  # YYYY-MM, of the weeks' Mondays
    municipality: str  # CBS code
    name: str
    committed_hours: int  # the contribution in force each week, added up
    available_hours: int  # its specialists' pool hours minus leave and home duties
    used_hours: int  # its specialists' hours in the published plan

    @property
    def gap(self) -> int:
        """Hours short of the committed share (0 when it delivers its share)."""
        return max(0, self.committed_hours - self.available_hours)

    @property
    def short(self) -> bool:
        return self.gap > 0


def contribution_lines(session: Session, municipality: str | None = None) -> list[ContributionLine]:
    """Committed, available and used hours per month of the horizon and municipality (one, with `municipality`)."""
    coop = cooperation(session)
    start, weeks = coop.horizon_start, coop.horizon_weeks
    towns = list(session.scalars(select(Municipality).options(selectinload(Municipality.contributions))
                                 .order_by(Municipality.code)))
    if municipality is not None:
        towns = [m for m in towns if m.code == municipality]
    free = free_hours_by_specialist(session, start, weeks)
    home = {sid: town for sid, town in session.execute(
        select(Specialist.id, Specialist.municipality_id).where(Specialist.active, Specialist.kind == "internal"))}
    available: dict[tuple[int | None, int], int] = defaultdict(int)
    people: dict[int | None, list[list[int]]] = defaultdict(list)
    for sid, town in home.items():
        if sid in free:
            people[town].append(free[sid])
    for town, rows in people.items():
        for w, hours in enumerate(sum(week) for week in zip(*rows, strict=True)):
            available[(town, w)] = hours
    used = _used(session, start, weeks)
    tally: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for m in towns:
        for w in range(weeks):
            monday = week_start(start, w)
            t = tally[(f"{monday:%Y-%m}", m.id)]
            t[0] += m.committed_hours(monday)
            t[1] += available.get((m.id, w), 0)
            t[2] += used.get((m.id, w), 0)
    by_id = {m.id: m for m in towns}
    return [ContributionLine(month, by_id[i].code, by_id[i].name, *t)
            for (month, i), t in sorted(tally.items(), key=lambda kv: (kv[0][0], by_id[kv[0][1]].code))]


# A published plan is never edited (a revision is a new draft, a hand edit raises the version): the hours it
# uses per home and week are kept once summed (the grouped query is the page's slowest part on PostgreSQL).
_USED: dict[tuple[int, object, int, dt.date, int, int], dict[tuple[int | None, int], int]] = {}


def _used(session: Session, start: dt.date, weeks: int) -> dict[tuple[int | None, int], int]:
    plan = published_plan(session)
    if plan is None:
        return {}
    key = (plan.id, plan.created_at, plan.version, start, weeks, latest_event(session))  # a home may change
    if key not in _USED:
        _USED.clear()
        _USED[key] = _summed_use(session, plan.id, start)
    return _USED[key]


def _summed_use(session: Session, plan_id: int, start: dt.date) -> dict[tuple[int | None, int], int]:
    rows = session.execute(
        select(Specialist.municipality_id, Assignment.week, func.sum(Assignment.hours))
        .join(Specialist, Specialist.id == Assignment.specialist_id)
        .where(Assignment.plan_id == plan_id, Specialist.kind == "internal")
        .group_by(Specialist.municipality_id, Assignment.week)
    )
    return {(town, week_index(start, week)): int(hours) for town, week, hours in rows}
