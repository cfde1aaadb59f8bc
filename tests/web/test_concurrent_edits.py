"""Two people change one object: the save based on the older version is refused (409), nothing is lost.

Two test clients stand for two browser sessions; they share the test database (SQLite, or PostgreSQL when
POOL_TEST_DATABASE_URL names one), so every save goes through the real version check of the database.
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import AuditEvent, Contribution, PartnerContract, Plan, Request, Specialist, User
from tests.web.conftest import HTMX, World, log_in
from tests.web.test_requests import _form

VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
LATEST = re.compile(r'name="latest"[^>]*value="(\d+)"')


def _seen(client: FlaskClient, url: str) -> str:
    """Open a page the way a browser does and return the version its form carries."""
    page = client.get(url).get_data(as_text=True)
    found = VERSION.search(page)
    assert found, f"no version on {url}"
    return found.group(1)


def _submitted(session: Session, world: World) -> Request:
    request = session.get(Request, world.request_a.id)
    assert request is not None
    request.status = "submitted"
    session.commit()
    return request


def _events(session: Session, entity_id: str) -> list[tuple[str, str]]:
    session.expire_all()
    rows = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == entity_id).order_by(AuditEvent.id))
    return [(e.actor, e.action) for e in rows]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain form", "htmx"])
def test_two_team_lead_sessions_editing_one_request_the_later_save_is_refused_and_names_who_changed_it(
    app, world: World, session: Session, headers: dict[str, str]
) -> None:
    request = _submitted(session, world)
    first, second = log_in(app.test_client(), world.lead_a), log_in(app.test_client(), world.lead_a)
    url = f"/requests/{request.id}/edit"
    seen_first, seen_second = _seen(first, url), _seen(second, url)

    saved = first.post(url, data=_form(world, title="Eerste versie", action="save", version=seen_first),
                       headers=headers)
    assert saved.status_code in (204, 303)
    refused = second.post(url, data=_form(world, title="Tweede versie", action="save", version=seen_second),
                          headers=headers)

    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "Tl-A" in page or "tl-a" in page
    session.expire_all()
    assert session.get(Request, request.id).title == "Eerste versie"  # type: ignore[union-attr]
    assert _events(session, request.code)[-2:] == [("tl-a", "update"), ("tl-a", "refused-stale")]


def test_the_coordinator_cannot_approve_a_request_that_changed_after_the_page_was_opened(
    app, world: World, session: Session
) -> None:
    request = _submitted(session, world)
    coordinator, lead = log_in(app.test_client(), world.coordinator), log_in(app.test_client(), world.lead_a)
    seen = _seen(coordinator, f"/requests/{request.id}")
    lead_seen = _seen(lead, f"/requests/{request.id}/edit")
    changed = lead.post(f"/requests/{request.id}/edit",
                        data=_form(world, title="Meer uren", action="save", version=lead_seen))
    assert changed.status_code == 303

    refused = coordinator.post(f"/requests/{request.id}/approve", data={"reason": "", "version": seen})

    assert refused.status_code == 409
    assert "tl-a" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Request, request.id).status == "submitted"  # type: ignore[union-attr]
    assert [a for _, a in _events(session, request.code)][-2:] == ["update", "refused-stale"]
    fresh = _seen(coordinator, f"/requests/{request.id}")
    assert coordinator.post(f"/requests/{request.id}/approve", data={"reason": "", "version": fresh}).status_code == 303


def _trail(session: Session, entity: str, entity_id: object) -> list[tuple[str, str]]:
    session.expire_all()
    rows = session.scalars(select(AuditEvent).where(AuditEvent.entity == entity,
                                                    AuditEvent.entity_id == str(entity_id)).order_by(AuditEvent.id))
    return [(e.actor, e.action) for e in rows]


def test_a_stale_save_of_a_specialist_is_refused(app, world: World, session: Session) -> None:
    specialist = session.scalars(select(Specialist).where(Specialist.code == "S0001")).one()
    first, second = log_in(app.test_client(), world.coordinator), log_in(app.test_client(), world.coordinator)
    url = f"/pool/specialists/{specialist.id}"
    seen_first, seen_second = _seen(first, url), _seen(second, url)
    data = {"name": specialist.name, "municipality_id": str(specialist.municipality_id), "pool_hours_per_week": "20",
            "hourly_cost": "0", "active": "y"}
    assert first.post(url, data=data | {"version": seen_first}).status_code == 303
    refused = second.post(url, data=data | {"pool_hours_per_week": "4", "version": seen_second})
    assert refused.status_code == 409
    session.expire_all()
    assert session.get(Specialist, specialist.id).pool_hours_per_week == 20  # type: ignore[union-attr]
    assert _trail(session, "specialist", "S0001")[-2:] == [("coord", "update"), ("coord", "refused-stale")]


def test_a_stale_save_of_the_partner_contract_is_refused(app, world: World, session: Session) -> None:
    first, second = log_in(app.test_client(), world.coordinator), log_in(app.test_client(), world.coordinator)
    seen_first, seen_second = _seen(first, "/pool/partner/"), _seen(second, "/pool/partner/")
    data = {"name": "Kennispartner BV", "budget_hours": "900", "hourly_rate": "120", "min_notice_weeks": "1",
            "valid_from": "2027-01-04", "valid_to": ""}
    assert first.post("/pool/partner/", data=data | {"version": seen_first}).status_code == 303
    refused = second.post("/pool/partner/", data=data | {"budget_hours": "5", "version": seen_second})
    assert refused.status_code == 409
    session.expire_all()
    contract = session.scalars(select(PartnerContract)).one()
    assert contract.budget_hours == 900
    assert _trail(session, "partner_contract", contract.id)[-2:] == [("coord", "update"), ("coord", "refused-stale")]
    assert "coord" in refused.get_data(as_text=True)


def _second_coordinator(session: Session) -> User:
    other = User(username="coord-2", name="Coord-2", password_hash="x", role="coordinator")
    session.add(other)
    session.commit()
    return other


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain form", "htmx"])
def test_a_contribution_recorded_from_a_page_opened_before_another_one_was_recorded_is_refused(
    app, world: World, session: Session, headers: dict[str, str]
) -> None:
    town = world.request_a.municipality_id
    other = _second_coordinator(session)
    first, second = log_in(app.test_client(), world.coordinator), log_in(app.test_client(), other)
    url = f"/pool/municipalities/{town}"
    seen_first, seen_second = _seen(first, url), _seen(second, url)
    latest = LATEST.search(first.get(url).get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    post = f"{url}/contributions"
    saved = first.post(post, data={"hours_per_week": "30", "valid_from": "2027-03-01", "latest": latest,
                                   "version": seen_first}, headers=headers)
    assert saved.status_code in (204, 303)
    refused = second.post(post, data={"hours_per_week": "5", "valid_from": "2027-06-07", "latest": latest,
                                      "version": seen_second}, headers=headers)

    assert refused.status_code == 409
    assert "coord" in refused.get_data(as_text=True)
    session.expire_all()
    stored = session.scalars(select(Contribution).where(Contribution.municipality_id == town)
                             .order_by(Contribution.valid_from)).all()
    assert [(c.hours_per_week, c.valid_to) for c in stored][-1] == (30, None)  # nothing of the second is saved
    new = stored[-1].id
    assert _trail(session, "contribution", latest)[-1] == ("coord", "update")  # ended the day before
    assert _trail(session, "contribution", new) == [("coord", "create"), ("coord-2", "refused-stale")]


def test_a_contribution_changed_under_a_stale_page_is_refused_and_a_caller_without_a_version_is_not(
    app, world: World, session: Session
) -> None:
    town = world.request_a.municipality_id
    coordinator = log_in(app.test_client(), world.coordinator)
    url = f"/pool/municipalities/{town}"
    page = coordinator.get(url).get_data(as_text=True)
    latest, seen = LATEST.search(page).group(1), VERSION.search(page).group(1)  # type: ignore[union-attr]
    contribution = session.get(Contribution, int(latest))
    assert contribution is not None
    contribution.hours_per_week += 1  # changed elsewhere: a new version of the contribution in force
    session.commit()
    data = {"hours_per_week": "30", "valid_from": "2027-03-01"}
    assert coordinator.post(f"{url}/contributions", data=data | {"latest": latest, "version": seen}).status_code \
        == 409
    assert coordinator.post(f"{url}/contributions", data=data).status_code == 303  # an API caller: no check


def _draft_page(app, world: World, session: Session) -> tuple[Plan, str]:  # type: ignore[no-untyped-def]
    coordinator = log_in(app.test_client(), world.coordinator)
    published = session.scalars(select(Plan).where(Plan.status == "published")).one()
    assert coordinator.post(f"/plans/{published.id}/revise", data={"reason": "hand work"}).status_code == 303
    session.expire_all()
    draft = session.scalars(select(Plan).where(Plan.status == "draft")).one()
    return draft, f"/plans/{draft.id}/requests/{world.request_a.id}"


def _assignment(world: World, week: int, hours: int, **more: str) -> dict[str, str]:
    return {"request": world.request_a.code, "need": "0", "specialist": "S0001", "week": str(week),
            "hours": str(hours), "reason": "talked to the team lead"} | more


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain form", "htmx"])
def test_a_hand_edit_of_a_draft_that_changed_after_the_page_was_opened_is_refused(
    app, world: World, session: Session, headers: dict[str, str]
) -> None:
    draft, url = _draft_page(app, world, session)
    other = _second_coordinator(session)
    first, second = log_in(app.test_client(), world.coordinator), log_in(app.test_client(), other)
    seen_first, seen_second = _seen(first, url), _seen(second, url)
    assert seen_first == seen_second == str(draft.version)

    saved = first.post(f"/plans/{draft.id}/assignments", data=_assignment(world, 4, 8, version=seen_first),
                       headers=headers)
    assert saved.status_code in (204, 303)
    refused = second.post(f"/plans/{draft.id}/assignments", data=_assignment(world, 5, 6, version=seen_second),
                          headers=headers)

    assert refused.status_code == 409
    assert "coord" in refused.get_data(as_text=True)
    session.expire_all()
    weeks = {(a.week - draft.horizon_start).days // 7: a.hours for a in session.get(Plan, draft.id).assignments}  # type: ignore[union-attr]
    assert weeks.get(4) == 8 and 5 not in weeks
    assert _trail(session, "plan", draft.id)[-2:] == [("coord", "assign"), ("coord-2", "refused-stale")]
    # An API caller that sends no version is not checked; a page opened afresh carries the new version.
    assert second.post(f"/plans/{draft.id}/assignments", data=_assignment(world, 5, 6)).status_code == 303
    fresh = _seen(second, url)
    assert int(fresh) > int(seen_second)
    assert second.post(f"/plans/{draft.id}/assignments",
                       data=_assignment(world, 5, 0, version=fresh)).status_code == 303


def test_the_who_fits_page_carries_the_draft_version_too(app, world: World, session: Session) -> None:
    draft, _url = _draft_page(app, world, session)
    coordinator = log_in(app.test_client(), world.coordinator)
    fits = f"/plans/{draft.id}/fits?request={world.request_a.code}&need=0"
    assert _seen(coordinator, fits) == str(draft.version)
