"""Versions on the objects people edit: two sessions (two database connections) racing on one row."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pool.db import make_session_factory
from pool.errors import VersionConflict
from pool.models import AuditEvent, Request, User
from pool.services import requests as service
from pool.services.exchange import import_instance
from tests.conftest import SAMPLE


@pytest.fixture
def lead(session: Session) -> User:
    import_instance(session, json.loads(SAMPLE.read_text("utf-8")))
    request = session.scalars(select(Request).order_by(Request.id)).first()
    assert request is not None
    request.status = "submitted"
    user = User(username="tl", name="Tl", password_hash="x", role="team_lead",
                municipality_id=request.municipality_id)
    session.add(user)
    session.commit()
    return user


def _input(request: Request, title: str, version: int | None) -> service.RequestInput:
    return service.RequestInput(
        title=title, first_week=request.first_week, last_week=request.last_week,
        max_hours_per_week=request.max_hours_per_week, priority=request.priority,
        needs=[service.NeedInput(n.skill_id, n.min_level, n.hours) for n in request.needs], version=version)


def test_of_two_sessions_that_loaded_one_request_the_second_commit_is_refused(
    engine: Engine, session: Session, lead: User
) -> None:
    factory = make_session_factory(engine)
    with factory() as one, factory() as two:
        user_one, user_two = one.get(User, lead.id), two.get(User, lead.id)
        code = session.scalars(select(Request.code).order_by(Request.id)).first()
        first = one.scalars(select(Request).where(Request.code == code)).one()
        second = two.scalars(select(Request).where(Request.code == code)).one()
        assert first.version == second.version
        one.commit()  # end the read transactions: each save below starts afresh, as in two web requests
        two.commit()

        # Neither save says which version it saw (the command line does not): the row version catches the race.
        service.update_request(one, user_one, first.id, _input(first, "Eén", None))  # type: ignore[arg-type]
        with pytest.raises(VersionConflict) as refused:
            service.update_request(two, user_two, second.id, _input(second, "Twee", None))  # type: ignore[arg-type]
        assert refused.value.changed_by == "tl"

    session.expire_all()
    stored = session.scalars(select(Request).where(Request.code == code)).one()
    assert stored.title == "Eén" and stored.version == first.version
    actions = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.entity_id == code))]
    assert actions[-2:] == ["update", "refused-stale"]


def test_a_save_based_on_an_older_version_changes_nothing_and_says_who_changed_it(
    session: Session, lead: User
) -> None:
    request = session.scalars(select(Request).order_by(Request.id)).first()
    assert request is not None
    seen = request.version
    service.update_request(session, lead, request.id, _input(request, "Nieuw", seen))
    with pytest.raises(VersionConflict) as refused:
        service.update_request(session, lead, request.id, _input(request, "Ouder", seen))
    assert refused.value.changed_by == "tl" and refused.value.changed_at is not None
    assert "tl" in str(refused.value)
    session.expire_all()
    assert session.get(Request, request.id).title == "Nieuw"  # type: ignore[union-attr]


def test_changing_only_the_needs_is_a_new_version_of_the_request(session: Session, lead: User) -> None:
    request = session.scalars(select(Request).order_by(Request.id)).first()
    assert request is not None
    seen = request.version
    data = _input(request, request.title, seen)
    data.needs[0].hours += 1
    service.update_request(session, lead, request.id, data)
    assert request.version == seen + 1
