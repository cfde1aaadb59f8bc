"""Defects a probe of the application found in logging in, sessions, URLs, hosts and the database.

Each test reproduces one defect and failed before its fix; they run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from types import SimpleNamespace

import itsdangerous.timed
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pool.db import make_session_factory
from pool.errors import PoolError
from pool.models import Plan, Request, User
from pool.services import accounts, throttle
from pool.services import requests as request_service
from pool.services.planning import publish_plan
from tests.web.conftest import PASSWORD, World, close_app, log_in, make_app
from tests.web.test_requests import _form


def _login(client: FlaskClient, name: str, password: str, address: str = "127.0.0.1", next: str = "") -> int:
    url = f"/login?next={next}" if next else "/login"
    return client.post(url, data={"username": name, "password": password},
                       environ_base={"REMOTE_ADDR": address}).status_code


# Lock-out of anyone by anyone

def test_failures_from_another_address_do_not_lock_the_owner_out(app: Flask, world: World) -> None:
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(throttle.FREE_ATTEMPTS):
        assert _login(attacker, "coord", "wrong", "10.0.0.66") == 401
    assert _login(attacker, "coord", PASSWORD, "10.0.0.66") == 429  # the guesser waits
    assert _login(owner, "coord", PASSWORD, "10.0.0.1") == 302  # the owner, elsewhere, does not


def test_behind_one_nat_only_the_guessed_name_waits(app: Flask, world: World) -> None:
    attacker, colleague = app.test_client(), app.test_client()
    for _ in range(throttle.FREE_ATTEMPTS + 1):
        _login(attacker, "coord", "wrong", "10.0.0.66")
    assert _login(colleague, "tl-a", PASSWORD, "10.0.0.66") == 302


def test_a_known_device_logs_in_however_much_others_guess_its_name(app: Flask, world: World) -> None:
    owner = app.test_client()
    assert _login(owner, "coord", PASSWORD, "10.0.0.1") == 302  # gets its device cookie
    owner.post("/logout")
    guessers = app.test_client()
    for i in range(throttle.FREE_FOR_NAME + 3):
        _login(guessers, "coord", "wrong", f"10.1.0.{i}")
    assert _login(app.test_client(), "coord", PASSWORD, "10.0.0.2") == 429  # a new device waits now
    assert _login(owner, "coord", PASSWORD, "10.0.0.1") == 302


def test_the_wait_grows_with_every_failure_and_ends(session: Session, world: World) -> None:
    now = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
    waits = [throttle.wait_after(n) for n in range(throttle.FREE_ATTEMPTS, throttle.FREE_ATTEMPTS + 6)]
    assert waits == sorted(waits) and waits[0] > 0 and waits[-1] <= throttle.MAX_WAIT
    for _ in range(throttle.FREE_ATTEMPTS):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(session, "coord", "wrong", "10.0.0.66", now=now)
    with pytest.raises(accounts.LoginThrottled):
        accounts.authenticate(session, "coord", PASSWORD, "10.0.0.66", now=now + dt.timedelta(seconds=waits[0] - 1))
    later = now + dt.timedelta(seconds=waits[0])
    assert accounts.authenticate(session, "coord", PASSWORD, "10.0.0.66", now=later).username == "coord"


# The throttle races

def test_thirty_parallel_wrong_logins_for_one_name_are_counted_exactly(engine: Engine, world: World) -> None:
    factory = make_session_factory(engine)
    outcomes: list[str] = []
    start = threading.Barrier(30)
    now = dt.datetime.now(dt.UTC)

    def guess() -> None:
        with factory() as s:
            start.wait()
            try:
                accounts.authenticate(s, "tl-a", "wrong", "10.0.0.66", now=now)
            except accounts.LoginThrottled:
                outcomes.append("429")
            except accounts.LoginRefused:
                outcomes.append("401")

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("401") == throttle.FREE_ATTEMPTS and outcomes.count("429") == 30 - throttle.FREE_ATTEMPTS
    with factory() as s:
        assert throttle.failures(s, "pair:tl-a|10.0.0.66") == throttle.FREE_ATTEMPTS


# Sessions cannot be revoked

def _copy(source: FlaskClient, target: FlaskClient) -> FlaskClient:
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)
    return target


def test_a_copied_session_cookie_stops_working_at_logout(app: Flask, world: World) -> None:
    browser = app.test_client()
    assert _login(browser, "tl-a", PASSWORD) == 302
    thief = _copy(browser, app.test_client())
    assert thief.get("/requests/").status_code == 200
    browser.post("/logout")
    assert thief.get("/requests/").status_code == 302


def test_a_password_reset_ends_every_session_of_the_account(app: Flask, world: World, session: Session) -> None:
    browser = app.test_client()
    assert _login(browser, "tl-a", PASSWORD) == 302
    data = accounts.AccountInput("tl-a", "Tl-A", "", "team_lead", world.lead_a.municipality_id,
                                 password="Fietsbel-Kaas-Wolk-27")
    accounts.update_user(session, world.coordinator, world.lead_a.id, data)
    assert browser.get("/requests/").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_however_busy(app: Flask, world: World) -> None:
    browser = app.test_client()
    assert _login(browser, "tl-a", PASSWORD) == 302
    with browser.session_transaction() as sess:
        sess["login_at"] = int(time.time()) - app.config["SESSION_ABSOLUTE_LIFETIME"] - 1
    assert browser.get("/requests/").status_code == 302


def test_a_session_unused_for_its_idle_lifetime_ends(app: Flask, world: World,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    browser = app.test_client()
    assert _login(browser, "tl-a", PASSWORD) == 302
    idle = app.config["PERMANENT_SESSION_LIFETIME"]
    assert dt.timedelta(seconds=idle) <= dt.timedelta(hours=1)  # not Flask's default of 31 days
    real = time.time()
    # The session cookie's signature carries when it was last refreshed; move the signer's clock on.
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: real + idle - 60))
    assert browser.get("/requests/").status_code == 200  # in use: refreshed
    monkeypatch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: real + 2 * idle))
    assert browser.get("/requests/").status_code == 302


def test_changing_my_password_ends_my_other_sessions_and_keeps_this_one(app: Flask, world: World) -> None:
    here, elsewhere = app.test_client(), app.test_client()
    assert _login(here, "tl-a", PASSWORD) == 302 and _login(elsewhere, "tl-a", PASSWORD) == 302
    new = "Fietsbel-Kaas-Wolk-27"
    assert here.post("/password", data={"current": "wrong", "new": new, "repeat": new}).status_code == 422
    weak = here.post("/password", data={"current": PASSWORD, "new": "password1234", "repeat": "password1234"})
    assert weak.status_code == 422
    assert here.post("/password", data={"current": PASSWORD, "new": new, "repeat": new}).status_code == 303
    assert here.get("/requests/").status_code == 200
    assert elsewhere.get("/requests/").status_code == 302
    assert _login(app.test_client(), "tl-a", new, "10.0.0.9") == 302


# Passwords

@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "password1234", "welkom123456", "short-1A!", "coord-coord-coord"])
def test_weak_passwords_are_refused(session: Session, world: World, password: str) -> None:
    data = accounts.AccountInput("coord", "Coord", "", "coordinator", password=password)
    with pytest.raises(PoolError):
        accounts.update_user(session, world.coordinator, world.coordinator.id, data)


def test_a_strong_password_is_accepted(session: Session, world: World) -> None:
    data = accounts.AccountInput("coord", "Coord", "", "coordinator", password="Zomer-Fiets-Klok-42")
    accounts.update_user(session, world.coordinator, world.coordinator.id, data)


# Huge ids, CR/LF in next=, the Host header

def test_a_huge_id_in_a_url_or_a_form_field_is_not_a_server_error(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    assert client.get("/requests/99999999999999999999").status_code == 404
    assert client.get(f"/requests/{2**31}").status_code == 404
    response = client.post("/requests/new", data=_form(world, action="save") | {"needs-0-skill_id": "9" * 30})
    assert response.status_code == 422


@pytest.mark.parametrize("target", ["/%0d%0aSet-Cookie:%20x=1", "/requests/%0aX", "/\\evil.example"])
def test_control_characters_in_next_are_ignored(client: FlaskClient, world: World, target: str) -> None:
    response = client.post(f"/login?next={target}", data={"username": "tl-a", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    response = client.post("/language", data={"lang": "en", "next": "/\r\nX-Injected: 1"})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_the_public_base_url_makes_the_feed_address_and_refuses_other_hosts(
    engine: Engine, database_url: str, world: World, session: Session
) -> None:
    app = make_app(database_url, BASE_URL="https://pool.example.nl")
    client = app.test_client()
    token = accounts.new_calendar_token(session, session.get(User, world.spec_a.id))  # type: ignore[arg-type]
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    login = client.post("/login", data={"username": "s-a", "password": PASSWORD}, base_url="https://pool.example.nl")
    assert login.status_code == 302
    page = client.get("/me/calendar", base_url="https://pool.example.nl").get_data(as_text=True)
    assert f"https://pool.example.nl/calendar/{token}.ics" in page
    feed = client.get(f"/calendar/{token}.ics", base_url="https://pool.example.nl").get_data(as_text=True)
    assert "@pool.example.nl" in feed
    close_app(app)


# A read-only database

def _read_only(url: str) -> str:
    if url.startswith("sqlite:///"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    return url + ("&" if "?" in url else "?") + "options=-c%20default_transaction_read_only%3Don"


def test_a_read_only_database_gives_a_clear_page_and_a_log_line_at_login(
    engine: Engine, database_url: str, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(_read_only(database_url))
    with caplog.at_level(logging.ERROR):
        response = app.test_client().post("/login", data={"username": "tl-a", "password": PASSWORD})
    assert response.status_code == 503
    assert "database" in response.get_data(as_text=True).lower()
    assert any("database refused" in r.getMessage() and "read" in r.getMessage().lower() for r in caplog.records)
    close_app(app)


# Request windows and sizes

def test_a_request_window_lies_within_the_planning_horizon(session: Session, world: World) -> None:
    lead = session.get(User, world.lead_a.id)
    skill = world.request_a.needs[0].skill_id
    base = dict(title="Ver weg", max_hours_per_week=8, needs=[request_service.NeedInput(skill, 3, 8)])
    for first, last in [(dt.date(1, 1, 1), dt.date(2027, 1, 11)), (dt.date(2027, 1, 11), dt.date(9999, 12, 27))]:
        with pytest.raises(PoolError, match="horizon"):
            request_service.create_request(session, lead, request_service.RequestInput(  # type: ignore[arg-type]
                first_week=first, last_week=last, **base))  # type: ignore[arg-type]


def test_a_request_asks_a_bounded_number_of_skills(session: Session, world: World) -> None:
    lead = session.get(User, world.lead_a.id)
    skill = world.request_a.needs[0].skill_id
    data = request_service.RequestInput(
        "Alles", dt.date(2027, 1, 11), dt.date(2027, 2, 1), 8,
        needs=[request_service.NeedInput(skill, 3, 1)] * (request_service.MAX_NEEDS + 1))
    with pytest.raises(PoolError, match="at most"):
        request_service.create_request(session, lead, data)  # type: ignore[arg-type]


# Two plans published at once

def _drafts(session: Session, n: int) -> list[int]:
    plans = [Plan(name=f"draft {i}", status="draft", horizon_start=dt.date(2027, 1, 4), horizon_weeks=8)
             for i in range(n)]
    session.add_all(plans)
    session.execute(update(Plan).where(Plan.status == "published").values(status="superseded"))
    session.commit()
    return [p.id for p in plans]


def test_the_database_holds_at_most_one_published_plan_across_two_connections(
    engine: Engine, session: Session, world: World
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the overlap needs PostgreSQL")
    first, second = _drafts(session, 2)
    errors: list[BaseException] = []
    with engine.connect() as one:
        one.execute(update(Plan).where(Plan.id == first).values(status="published"))

        def publish_second() -> None:
            with make_session_factory(engine)() as two:
                try:
                    publish_plan(two, second, "coord-2", "at the same moment")
                except PoolError as e:
                    errors.append(e)

        other = threading.Thread(target=publish_second)
        other.start()
        time.sleep(0.5)  # the second publish now waits on the first one's row
        one.commit()
        other.join()
    session.expire_all()
    published = session.scalars(select(Plan.id).where(Plan.status == "published")).all()
    assert published == [first]
    assert len(errors) == 1 and "same moment" in str(errors[0])


def test_two_published_plans_are_refused_by_the_database_itself(engine: Engine, session: Session, world: World) -> None:
    first, second = _drafts(session, 2)
    session.execute(update(Plan).where(Plan.id == first).values(status="published"))
    with pytest.raises(IntegrityError):
        session.execute(update(Plan).where(Plan.id == second).values(status="published"))
        session.flush()
    session.rollback()


def test_publishing_an_older_draft_supersedes_the_newer_plan_in_force(session: Session, world: World) -> None:
    older, newer = _drafts(session, 2)
    publish_plan(session, newer, "coord")
    publish_plan(session, older, "coord")
    assert session.scalars(select(Plan.id).where(Plan.status == "published")).all() == [older]
    assert session.get(Request, world.request_a.id) is not None


def test_numbers_beyond_what_a_column_holds_are_refused_on_the_form(client: FlaskClient, world: World,
                                                                     session: Session) -> None:
    log_in(client, world.coordinator)
    data = {"name": "Kennispartner BV", "budget_hours": str(2**31), "hourly_rate": "120", "min_notice_weeks": "1",
            "valid_from": "2027-01-04", "valid_to": ""}
    assert client.post("/pool/partner/", data=data).status_code == 422
    too_dear = data | {"budget_hours": "900", "hourly_rate": str(2**63)}
    assert client.post("/pool/partner/", data=too_dear).status_code == 422
