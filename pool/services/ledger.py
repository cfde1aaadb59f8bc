"""The give-and-take ledger: who gave how many pool hours to whom, month by month, and what that settles to.

Every number of the ledger page, its CSV and its tests comes from `ledger_lines`; the published plan and a
scenario's plan only differ in where their hour flows come from.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from pool.errors import PoolError
from pool.models import Assignment, Cooperation, LedgerClose, Municipality, Need, Plan, Request, Specialist, User
from pool.services.audit import latest_event, record
from pool.services.exchange import cooperation, published_plan
from pool.weeks import week_start

CSV_COLUMNS = ("month", "municipality", "given_hours", "received_hours", "own_hours", "net_hours",
               "partner_hours", "partner_cost_eur", "settlement_eur")
MAX_RATE = 10_000


@dataclass(frozen=True)
class Flow:
    """Hours that specialists of one home (None: the partner) worked for one municipality in one week."""

    week: dt.date  # the Monday
    asked_by: str  # CBS code of the municipality that asked
    home: str | None  # CBS code of the specialists' home municipality; None for the partner
    hours: int
    cost: int = 0  # what the cooperation pays for these hours (the partner's)


@dataclass(frozen=True)
class LedgerLine:
    month: str  # YYYY-MM
    municipality: str  # CBS code
    given_hours: int = 0
    received_hours: int = 0
    own_hours: int = 0
    net_hours: int = 0
    partner_hours: int = 0
    partner_cost_eur: int = 0
    settlement_eur: int = 0

    def csv_row(self) -> list[Any]:
        return [getattr(self, f.name) for f in fields(self)]


@dataclass(frozen=True)
class Ledger:
    year: int
    rate: int  # the internal hourly rate the settlement uses
    lines: list[LedgerLine]  # the lines the reader may see
    totals: list[LedgerLine]  # the year per municipality the reader may see (month = "YYYY")
    cooperation: LedgerLine  # the whole cooperation's year (municipality = "")
    names: dict[str, str]  # CBS code -> name
    closed: list[str]  # the months (YYYY-MM) whose lines are the figures frozen at their close


def ledger_lines(flows: Iterable[Flow], rate: int) -> list[LedgerLine]:
    """Add hour flows up per month (of the week's Monday) and municipality; settle net hours at `rate`."""
    tally: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    months: dict[dt.date, str] = {}  # formatting a date is the slow part: once per week
    for f in flows:
        month = months.get(f.week) or months.setdefault(f.week, f"{f.week.year:04d}-{f.week.month:02d}")
        asker = tally[(month, f.asked_by)]
        if f.home is None:
            asker["partner_hours"] += f.hours
            asker["partner_cost_eur"] += f.cost
        elif f.home == f.asked_by:
            asker["own_hours"] += f.hours
        else:
            asker["received_hours"] += f.hours
            tally[(month, f.home)]["given_hours"] += f.hours
    return [_settled(month, code, t, rate) for (month, code), t in sorted(tally.items())]


def _settled(month: str, code: str, t: dict[str, int], rate: int) -> LedgerLine:
    net = t["given_hours"] - t["received_hours"]
    return LedgerLine(month, code, t["given_hours"], t["received_hours"], t["own_hours"], net, t["partner_hours"],
                      t["partner_cost_eur"], net * rate - t["partner_cost_eur"])


def summed(lines: Iterable[LedgerLine], month: str, municipality: str) -> LedgerLine:
    """Add ledger lines up into one (a year, the cooperation)."""
    total = dict.fromkeys(CSV_COLUMNS[2:], 0)
    for line in lines:
        for key in total:
            total[key] += getattr(line, key)
    return LedgerLine(month, municipality, **total)


def ledger(session: Session, year: int, municipality: str | None = None,
           flows: Iterable[Flow] | None = None) -> Ledger:
    """The ledger of a calendar year from the published plan (or from `flows`, a scenario's).

    A closed month shows the figures frozen when it was closed, whatever the plan says now. With
    `municipality` (a team lead's CBS code) the lines and totals are only that municipality's; the
    cooperation's totals are always the whole cooperation's.
    """
    check_year(year)
    coop = cooperation(session)
    frozen = frozen_months(session, year)
    every = sorted([line for line in ledger_lines(published_flows(session) if flows is None else flows,
                                                  coop.internal_hourly_rate)
                    if line.month.startswith(f"{year}-") and line.month not in frozen]
                   + [line for lines in frozen.values() for line in lines],
                   key=lambda line: (line.month, line.municipality))
    by_town: dict[str, list[LedgerLine]] = defaultdict(list)
    for line in every:
        by_town[line.municipality].append(line)
    totals = [summed(lines, str(year), code) for code, lines in sorted(by_town.items())]
    names = {code: name for code, name in session.execute(select(Municipality.code, Municipality.name))}
    return Ledger(year, coop.internal_hourly_rate, _visible(every, municipality), _visible(totals, municipality),
                  summed(every, str(year), ""), names, sorted(frozen))


def month_lines(session: Session, month: str) -> list[LedgerLine]:
    """The ledger lines of one month (YYYY-MM): the ledger of its year, filtered to the month."""
    return [line for line in ledger(session, int(month[:4])).lines if line.month == month]


def frozen_months(session: Session, year: int) -> dict[str, list[LedgerLine]]:
    """The closed months of a year with the ledger lines frozen when each was closed."""
    closes = session.scalars(select(LedgerClose).where(LedgerClose.month.startswith(f"{year}-")))
    return {c.month: [_frozen_line(c.month, d) for d in c.lines] for c in closes}


def _frozen_line(month: str, stored: dict[str, Any]) -> LedgerLine:
    known = {f.name for f in fields(LedgerLine)}
    return LedgerLine(**({"month": month} | {k: v for k, v in stored.items() if k in known}))


def _visible(lines: list[LedgerLine], municipality: str | None) -> list[LedgerLine]:
    return lines if municipality is None else [line for line in lines if line.municipality == municipality]


def check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise PoolError("the year must be between 2000 and 2100, not %(year)s", field="year", year=str(year))


def ledger_years(session: Session) -> list[int]:
    """The calendar years the published plan's weeks fall in (at least the horizon's first)."""
    coop = cooperation(session)
    plan = published_plan(session)
    start, weeks = (plan.horizon_start, plan.horizon_weeks) if plan else (coop.horizon_start, coop.horizon_weeks)
    return sorted({week_start(start, w).year for w in range(max(weeks, 1))})


# A published plan is never edited (a revision is a new draft, a hand edit raises the version): its flows are
# kept once read. The key holds the creation time and version too, so a reused id is not mistaken.
_FLOWS: dict[tuple[int, object, int, int], list[Flow]] = {}


def published_flows(session: Session) -> list[Flow]:
    """The hour flows of the published plan, grouped by week, asker and home in one query, kept per plan."""
    plan = published_plan(session)
    if plan is None:
        return []
    key = (plan.id, plan.created_at, plan.version, latest_event(session))  # a specialist's home may change
    if key not in _FLOWS:
        _FLOWS.clear()
        _FLOWS[key] = plan_flows(session, plan)
    return _FLOWS[key]


def plan_flows(session: Session, plan: Plan) -> list[Flow]:
    asker, home = aliased(Municipality), aliased(Municipality)
    rows = session.execute(
        select(Assignment.week, asker.code, home.code, func.sum(Assignment.hours),
               func.sum(Assignment.hours * Specialist.hourly_cost))
        .join(Need, Need.id == Assignment.need_id)
        .join(Request, Request.id == Need.request_id)
        .join(asker, asker.id == Request.municipality_id)
        .join(Specialist, Specialist.id == Assignment.specialist_id)
        .outerjoin(home, home.id == Specialist.municipality_id)
        .where(Assignment.plan_id == plan.id)
        .group_by(Assignment.week, asker.code, home.code)
    ).all()
    return [Flow(week, asked, from_, int(hours), int(cost or 0) if from_ is None else 0)
            for week, asked, from_, hours, cost in rows]


def document_flows(situation: dict[str, Any], plan: dict[str, Any]) -> list[Flow]:
    """The hour flows of a pool-plan/1 document planned on a pool-instance/1 situation (a scenario's), grouped
    by week, asker and home as the published plan's are."""
    start = dt.date.fromisoformat(situation["horizon"]["start"])
    towns = {r["id"]: r["municipality"] for r in situation["requests"]}
    people = {s["id"]: s for s in situation["specialists"]}
    grouped: dict[tuple[int, str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for a in plan["assignments"]:
        s = people[a["specialist"]]
        home = s["home"] if s["kind"] == "internal" else None
        tally = grouped[(a["week"], towns[a["request"]], home)]
        tally[0] += a["hours"]
        tally[1] += a["hours"] * s["hourly_cost"] if home is None else 0
    return [Flow(week_start(start, week), asked, home, hours, cost)
            for (week, asked, home), (hours, cost) in grouped.items()]


def set_internal_rate(session: Session, actor: User, rate: int, reason: str = "") -> Cooperation:
    """Set the internal hourly rate (whole euros) the ledger settles net hours at."""
    if not 0 <= rate <= MAX_RATE:
        raise PoolError("the internal hourly rate must be between 0 and %(max)s euros", field="rate", max=MAX_RATE)
    coop = cooperation(session)
    old = coop.internal_hourly_rate
    coop.internal_hourly_rate = rate
    record(session, actor, "update", "cooperation", coop.id, {"internal_hourly_rate": [old, rate]}, reason=reason)
    session.commit()
    return coop
