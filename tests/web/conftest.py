"""A small world for the web tests: the tiny instance, two municipalities, accounts of every role, a plan."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from pool.models import (
    Assignment,
    Municipality,
    Plan,
    Request,
    Skill,
    Specialist,
    SpecialistSkill,
    Unavailability,
    UnmetNeed,
    User,
)
from pool.security import hash_password
from pool.services import what_would_help
from pool.services.exchange import import_instance
from tests.conftest import SAMPLE
from web import create_app, jobs

PASSWORD = "correct horse battery"
_HASH = hash_password(PASSWORD)


@dataclass
class World:
    coordinator: User
    lead_a: User  # team lead of Dordrecht (GM0505)
    lead_b: User  # team lead of Zwijndrecht (GM0642)
    spec_a: User  # specialist S0001
    spec_b: User  # specialist S0002
    request_a: Request  # of Dordrecht
    request_b: Request  # of Zwijndrecht
    leave_b: Unavailability  # of S0002


def _user(session: Session, username: str, role: str, **links: object) -> User:
    user = User(username=username, name=username.title(), password_hash=_HASH, role=role, **links)
    session.add(user)
    return user


def build_world(session: Session) -> World:
    """Import the tiny instance and add accounts, one more request and a published plan."""
    import_instance(session, json.loads(SAMPLE.read_text("utf-8")))
    mun = {m.code: m for m in session.scalars(select(Municipality))}
    spec = {s.code: s for s in session.scalars(select(Specialist))}
    requests = list(session.scalars(select(Request).order_by(Request.id)))
    request_a = next(r for r in requests if r.municipality.code == "GM0505")
    request_b = next(r for r in requests if r.municipality.code == "GM0642")
    leave_b = Unavailability(kind="leave", start_date=dt.date(2027, 2, 1), end_date=dt.date(2027, 2, 5),
                             hours_per_week=8)
    spec["S0002"].unavailability.append(leave_b)
    spec["S0002"].skills.append(SpecialistSkill(skill=Skill(code="cobol", name="COBOL"), level=3))
    world = World(
        coordinator=_user(session, "coord", "coordinator"),
        lead_a=_user(session, "tl-a", "team_lead", municipality=mun["GM0505"]),
        lead_b=_user(session, "tl-b", "team_lead", municipality=mun["GM0642"]),
        spec_a=_user(session, "s-a", "specialist", specialist=spec["S0001"]),
        spec_b=_user(session, "s-b", "specialist", specialist=spec["S0002"]),
        request_a=request_a, request_b=request_b, leave_b=leave_b,
    )
    need = request_a.needs[0]
    for old in session.scalars(select(Plan)):
        old.status = "superseded"
    plan = Plan(name="test", status="published", horizon_start=dt.date(2027, 1, 4), horizon_weeks=8,
                published_at=dt.datetime.now(dt.UTC))
    plan.assignments = [
        Assignment(need=need, specialist=spec["S0001"], week=dt.date(2027, 1, 11), hours=12),
        Assignment(need=need, specialist=spec["S0001"], week=dt.date(2027, 1, 18), hours=8),
    ]
    plan.unmet = [UnmetNeed(need=need, hours=20, reason="capacity-taken", detail="Taken by request R00002.")]
    session.add(plan)
    session.commit()
    return world


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


class ClosingClient(FlaskClient):
    """A test client that reads each response to its end and closes it, as a WSGI server does: a streamed
    download (the audit trail's CSV) holds its request's database session until its response is closed."""

    def open(self, *args: Any, buffered: bool = True, **kwargs: Any) -> TestResponse:
        return super().open(*args, buffered=buffered, **kwargs)


def make_app(database_url: str, **config: object) -> Flask:
    app = create_app({
        "TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False, **config,
    })
    app.test_client_class = ClosingClient
    return app


@pytest.fixture
def app(engine: Engine, database_url: str, world: World) -> Iterator[Flask]:
    app = make_app(database_url)
    yield app
    jobs.shutdown(app)  # a test that started a run made this process a scheduler; let go of the lease
    close_app(app)


def close_app(app: Flask) -> None:
    """Dispose of the app's engine, once the threads that use it are done (a thread's connection that outlived
    its pool was left to the garbage collector, never closed)."""
    what_would_help.wait_for_work()
    app.extensions["pool_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def log_in(client: FlaskClient, user: User | None) -> FlaskClient:
    """Make the client act as this user (or as nobody)."""
    with client.session_transaction() as sess:
        sess.clear()
        if user is not None:
            sess.update(user_id=user.id, sv=user.session_version, login_at=int(time.time()))
    return client


HTMX = {"HX-Request": "true"}
