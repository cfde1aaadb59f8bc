"""Two plans side by side: their figures, and the assignments added, removed or changed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from pool.models import Assignment, Municipality, Need, Plan, Request, Specialist
from pool.services.plan_figures import PlanFigures, plan_figures

Cell = tuple[int, int, dt.date]  # need id, specialist id, week


@dataclass
class Tally:
    """How one request or one specialist fares from the first plan to the second."""

    id: int
    label: str
    detail: str = ""  # the municipality of a request, the home of a specialist
    hours_a: int = 0
    hours_b: int = 0
    added: int = 0  # cells only in the second plan
    removed: int = 0  # cells only in the first
    changed: int = 0  # cells in both with other hours

    @property
    def difference(self) -> int:
        return self.hours_b - self.hours_a


@dataclass
class Comparison:
    a: Plan
    b: Plan
    figures_a: PlanFigures
    figures_b: PlanFigures
    added: int = 0
    removed: int = 0
    changed: int = 0
    by_request: list[Tally] = field(default_factory=list)  # only those with a change, the largest first
    by_specialist: list[Tally] = field(default_factory=list)


def compare_plans(session: Session, a: Plan, b: Plan) -> Comparison:
    """Compare plan a (the reference, e.g. the published plan) with plan b."""
    figures = plan_figures(session, [a.id, b.id])
    out = Comparison(a, b, figures[a.id], figures[b.id])
    requests: dict[int, Tally] = {}
    people: dict[int, Tally] = {}
    changes = _changed_cells(session, a.id, b.id)
    if not changes:
        return out
    need_ids = {c[0][0] for c in changes}
    person_ids = {c[0][1] for c in changes}
    need_request = {
        nid: (rid, code, title, town)
        for nid, rid, code, title, town in session.execute(
            select(Need.id, Request.id, Request.code, Request.title, Municipality.name)
            .join(Request, Request.id == Need.request_id).join(Municipality, Municipality.id == Request.municipality_id)
            .where(Need.id.in_(need_ids))
        )
    }
    person = {
        sid: (code, name, town or "")
        for sid, code, name, town in session.execute(
            select(Specialist.id, Specialist.code, Specialist.name, Municipality.name)
            .outerjoin(Municipality, Municipality.id == Specialist.municipality_id)
            .where(Specialist.id.in_(person_ids))
        )
    }
    for (nid, sid, _week), before, after in changes:
        rid, code, title, town = need_request[nid]
        scode, sname, home = person[sid]
        for tally in (requests.setdefault(rid, Tally(rid, f"{code} {title}", town)),
                      people.setdefault(sid, Tally(sid, sname, home or scode))):
            tally.hours_a += before
            tally.hours_b += after
            if not before:
                tally.added += 1
            elif not after:
                tally.removed += 1
            else:
                tally.changed += 1
    out.added = sum(1 for _c, before, _after in changes if not before)
    out.removed = sum(1 for _c, _before, after in changes if not after)
    out.changed = len(changes) - out.added - out.removed
    key = lambda t: (-abs(t.difference), -(t.added + t.removed + t.changed), t.label)  # noqa: E731
    out.by_request = sorted(requests.values(), key=key)
    out.by_specialist = sorted(people.values(), key=key)
    return out


def _changed_cells(session: Session, a: int, b: int) -> list[tuple[Cell, int, int]]:
    """Return the cells whose hours differ between two plans, as (cell, hours in a, hours in b); 0 is absent."""
    first, second = aliased(Assignment), aliased(Assignment)

    def one_way(this: Any, that: Any, this_id: int, that_id: int) -> Any:
        same_cell = and_(that.plan_id == that_id, that.need_id == this.need_id,
                         that.specialist_id == this.specialist_id, that.week == this.week)
        return (
            select(this.need_id, this.specialist_id, this.week, this.hours, func.coalesce(that.hours, 0))
            .outerjoin(that, same_cell)
            .where(this.plan_id == this_id, or_(that.id.is_(None), that.hours != this.hours))
        )

    out: list[tuple[Cell, int, int]] = []
    for need_id, specialist_id, week, hours, other in session.execute(one_way(first, second, a, b)):
        out.append(((need_id, specialist_id, week), hours, other))
    for need_id, specialist_id, week, hours, other in session.execute(one_way(second, first, b, a)):
        if not other:  # cells in both are already counted
            out.append(((need_id, specialist_id, week), 0, hours))
    return out


def plan_cells(session: Session, plan_id: int) -> dict[Cell, int]:
    """The hours of a plan per (need, specialist, week)."""
    hours: dict[Cell, int] = defaultdict(int)
    for need_id, specialist_id, week, h in session.execute(
        select(Assignment.need_id, Assignment.specialist_id, Assignment.week, Assignment.hours)
        .where(Assignment.plan_id == plan_id)
    ):
        hours[need_id, specialist_id, week] += h
    return hours
