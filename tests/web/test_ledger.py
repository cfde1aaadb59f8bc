"""The give-and-take ledger of a small hand-made cooperation, worked out by hand, and who may read which lines."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pool.models import Assignment, Cooperation, Municipality, Plan, Request, Specialist, User
from pool.services import jobs
from pool.services.exchange import import_instance
from pool.services.ledger import CSV_COLUMNS, LedgerLine, ledger
from tests.web.conftest import _HASH, HTMX, close_app, log_in, make_app

START = dt.date(2026, 12, 28)  # a Monday in December: week 0 is counted in 2026, week 1 in January 2027


def _spec(code: str, home: str | None, cost: int = 0) -> dict[str, object]:
    return {"id": code, "name": f"Person {code}", "home": home, "kind": "internal" if home else "partner",
            "pool_hours_per_week": 20, "skills": {"x": 3}, "unavailable": [], "hourly_cost": cost}


def _request(code: str, town: str) -> dict[str, object]:
    return {"id": code, "municipality": town, "title": f"Request {code}", "start_week": 0, "end_week": 5,
            "needs": [{"skill": "x", "min_level": 1, "hours": 40}], "max_hours_per_week": 20, "priority": 2,
            "allow_partner": True, "all_or_nothing": False}


COOPERATION = {
    "format": "pool-instance/1", "horizon": {"start": START.isoformat(), "weeks": 6},
    "skills": [{"id": "x", "name": "X"}],
    "municipalities": [{"id": code, "name": name, "committed_hours_per_week": 20}
                       for code, name in (("GM0001", "Aadorp"), ("GM0002", "Beekdorp"), ("GM0003", "Ceedorp"))],
    "specialists": [_spec("SA", "GM0001"), _spec("SB", "GM0002"), _spec("P1", None, cost=100)],
    "partner": {"name": "Partner", "budget_hours": 100, "min_notice_weeks": 2},
    "requests": [_request("RA", "GM0001"), _request("RB", "GM0002"), _request("RC", "GM0003")],
    "previous_plan": [],
}
# (specialist, request, week, hours) of the published plan
PUBLISHED = [("SA", "RB", 0, 10), ("SA", "RB", 1, 8), ("SB", "RA", 1, 5), ("SA", "RA", 2, 6), ("P1", "RC", 2, 4),
             ("SB", "RC", 5, 3)]
RATE = 50

# Worked out by hand. January 2027 (weeks 1 and 2): SA gives 8 to Beekdorp and works 6 for Aadorp itself; SB gives
# 5 to Aadorp; the partner works 4 h at € 100 for Ceedorp. February (week 5, Monday 1 February): SB gives 3 to
# Ceedorp. Settlement = net × € 50 − partner cost.
LINES_2027 = [
    LedgerLine("2027-01", "GM0001", 8, 5, 6, 3, 0, 0, 150),
    LedgerLine("2027-01", "GM0002", 5, 8, 0, -3, 0, 0, -150),
    LedgerLine("2027-01", "GM0003", 0, 0, 0, 0, 4, 400, -400),
    LedgerLine("2027-02", "GM0002", 3, 0, 0, 3, 0, 0, 150),
    LedgerLine("2027-02", "GM0003", 0, 3, 0, -3, 0, 0, -150),
]
TOTALS_2027 = [
    LedgerLine("2027", "GM0001", 8, 5, 6, 3, 0, 0, 150),
    LedgerLine("2027", "GM0002", 8, 8, 0, 0, 0, 0, 0),
    LedgerLine("2027", "GM0003", 0, 3, 0, -3, 4, 400, -550),
]
COOPERATION_2027 = LedgerLine("2027", "", 16, 16, 6, 0, 4, 400, -400)
LINES_2026 = [LedgerLine("2026-12", "GM0001", 10, 0, 0, 10, 0, 0, 500),
              LedgerLine("2026-12", "GM0002", 0, 10, 0, -10, 0, 0, -500)]


def build_cooperation(session: Session) -> dict[str, User]:
    import_instance(session, COOPERATION)
    session.scalars(select(Cooperation)).one().internal_hourly_rate = RATE
    spec = {s.code: s for s in session.scalars(select(Specialist))}
    req = {r.code: r for r in session.scalars(select(Request))}
    plan = Plan(name="published", status="published", horizon_start=START, horizon_weeks=6,
                published_at=dt.datetime.now(dt.UTC))
    plan.assignments = [Assignment(need=req[r].needs[0], specialist=spec[s], week=START + dt.timedelta(weeks=w),
                                   hours=h) for s, r, w, h in PUBLISHED]
    # A draft is not the published plan: its hours must not reach the ledger.
    draft = Plan(name="draft", status="draft", horizon_start=START, horizon_weeks=6)
    draft.assignments = [Assignment(need=req["RA"].needs[0], specialist=spec["SB"], week=START + dt.timedelta(weeks=1),
                                    hours=20)]
    towns = {m.code: m for m in session.scalars(select(Municipality))}
    users = {
        "coordinator": User(username="coord", name="Coord", password_hash=_HASH, role="coordinator"),
        "lead_a": User(username="lead-a", name="Lead A", password_hash=_HASH, role="team_lead",
                       municipality=towns["GM0001"]),
    }
    session.add_all([plan, draft, *users.values()])
    session.commit()
    return users


@pytest.fixture
def users(session: Session) -> dict[str, User]:
    return build_cooperation(session)


@pytest.fixture
def ledger_client(engine: Engine, database_url: str, users: dict[str, User]) -> Iterator[FlaskClient]:
    app: Flask = make_app(database_url)
    yield app.test_client()
    close_app(app)


def _csv(client: FlaskClient, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def _rows(lines: list[LedgerLine]) -> list[list[str]]:
    return [[str(v) for v in line.csv_row()] for line in lines]


def test_the_service_gives_the_ledger_worked_out_by_hand(session: Session, users: dict[str, User]) -> None:
    book = ledger(session, 2027)
    assert book.lines == LINES_2027
    assert book.totals == TOTALS_2027
    assert book.cooperation == COOPERATION_2027
    assert ledger(session, 2026).lines == LINES_2026


def test_the_csv_gives_exactly_the_same_numbers_with_the_agreed_columns(ledger_client: FlaskClient,
                                                                        users: dict[str, User]) -> None:
    log_in(ledger_client, users["coordinator"])
    rows = _csv(ledger_client, "/ledger.csv?year=2027")
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[0] == ["month", "municipality", "given_hours", "received_hours", "own_hours", "net_hours",
                       "partner_hours", "partner_cost_eur", "settlement_eur"]
    assert rows[1:] == _rows(LINES_2027)
    assert _csv(ledger_client, "/ledger.csv?year=2026")[1:] == _rows(LINES_2026)


def test_the_page_shows_the_hand_worked_totals(ledger_client: FlaskClient, users: dict[str, User]) -> None:
    log_in(ledger_client, users["coordinator"])
    page = ledger_client.get("/ledger?year=2027&lang=en").get_data(as_text=True)
    for name in ("Aadorp", "Beekdorp", "Ceedorp"):
        assert name in page
    assert "−550" in page or "-550" in page
    assert "<svg" in page


def test_changing_the_internal_rate_changes_the_settlement(ledger_client: FlaskClient, session: Session,
                                                           users: dict[str, User]) -> None:
    log_in(ledger_client, users["coordinator"])
    assert ledger_client.post("/ledger", data={"rate": "70", "reason": "new year"}).status_code == 303
    session.expire_all()
    assert ledger(session, 2027).totals[0].settlement_eur == 3 * 70
    refused = ledger_client.post("/ledger", data={"rate": "-5"})
    assert refused.status_code == 422
    session.expire_all()
    assert ledger(session, 2027).rate == 70


@pytest.mark.parametrize("url", [
    "/ledger", "/ledger?year=2027", "/ledger?year=2026", "/ledger?year=2027&municipality=GM0002",
    "/ledger?municipality=GM0003&year=2027", "/ledger?year=2027&lang=en",
])
def test_a_team_lead_sees_only_its_own_lines_on_the_page(ledger_client: FlaskClient, users: dict[str, User],
                                                         url: str) -> None:
    log_in(ledger_client, users["lead_a"])
    for headers in ({}, HTMX):
        page = ledger_client.get(url, headers=headers).get_data(as_text=True)
        assert "Aadorp" in page
        assert "Beekdorp" not in page and "Ceedorp" not in page


@pytest.mark.parametrize("url", ["/ledger.csv?year=2027", "/ledger.csv?year=2026",
                                 "/ledger.csv?year=2027&municipality=GM0002", "/ledger.csv"])
def test_a_team_lead_gets_only_its_own_lines_in_the_csv(ledger_client: FlaskClient, users: dict[str, User],
                                                        url: str) -> None:
    log_in(ledger_client, users["lead_a"])
    rows = _csv(ledger_client, url)
    assert rows[1:] and {r[1] for r in rows[1:]} == {"GM0001"}


def test_a_team_lead_sees_the_cooperation_s_totals(ledger_client: FlaskClient, users: dict[str, User]) -> None:
    log_in(ledger_client, users["lead_a"])
    page = ledger_client.get("/ledger?year=2027").get_data(as_text=True)
    assert "De hele samenwerking" in page
    assert "−400" in page or "-400" in page  # the cooperation's settlement


def test_a_team_lead_may_not_change_the_rate(ledger_client: FlaskClient, session: Session,
                                              users: dict[str, User]) -> None:
    log_in(ledger_client, users["lead_a"])
    assert ledger_client.post("/ledger", data={"rate": "1"}).status_code == 403
    session.expire_all()
    assert ledger(session, 2027).rate == RATE


@pytest.mark.parametrize("year", ["abc", "1999", "20270", "-1"])
def test_a_bad_year_is_refused_with_a_reason(ledger_client: FlaskClient, users: dict[str, User], year: str) -> None:
    log_in(ledger_client, users["coordinator"])
    ledger_client.post("/language", data={"lang": "en", "next": "/"})
    response = ledger_client.get(f"/ledger.csv?year={year}")
    assert response.status_code == 400
    assert "between 2000 and 2100" in response.get_data(as_text=True)


def test_a_closed_month_keeps_its_frozen_figures_on_the_page_and_in_the_csv(
    ledger_client: FlaskClient, session: Session, users: dict[str, User]
) -> None:
    assert jobs.execute_job(session, "monthly-close", now=dt.datetime(2027, 2, 1, 3, tzinfo=dt.UTC)).status == \
        "finished"
    plan = session.scalars(select(Plan).where(Plan.status == "published")).one()
    spec = {s.code: s for s in session.scalars(select(Specialist))}
    rb = session.scalars(select(Request).where(Request.code == "RB")).one()
    plan.assignments.append(Assignment(need=rb.needs[0], specialist=spec["SA"], week=START + dt.timedelta(weeks=2),
                                       hours=7))  # January, after its close
    session.scalars(select(Cooperation)).one().internal_hourly_rate = 80
    session.commit()

    log_in(ledger_client, users["coordinator"])
    rows = _csv(ledger_client, "/ledger.csv?year=2027")[1:]
    assert [r for r in rows if r[0] == "2027-01"] == _rows(LINES_2027[:3])
    page = ledger_client.get("/ledger?year=2027&lang=en").get_data(as_text=True)
    assert "Afgesloten maanden tonen de cijfers zoals ze bij het afsluiten zijn vastgelegd: 2027-01." in page


@pytest.mark.parametrize("url", ["/contributions", "/capacity", "/capacity/x", "/partner/budget",
                                 "/skills/vulnerable", "/skills/vulnerable.csv", "/scenarios", "/what-would-help"])
def test_a_team_lead_reaches_no_other_municipality_s_figures_by_another_route(
    ledger_client: FlaskClient, users: dict[str, User], url: str
) -> None:
    log_in(ledger_client, users["lead_a"])
    response = ledger_client.get(url)
    assert response.status_code == 403
    assert "Beekdorp" not in response.get_data(as_text=True) and "GM0002" not in response.get_data(as_text=True)
