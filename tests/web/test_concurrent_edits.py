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

from pool.models import AuditEvent, PartnerContract, Request, Specialist
from tests.web.conftest import HTMX, World, log_in
from tests.web.test_requests import _form

VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')


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


def test_a_stale_save_of_the_partner_contract_is_refused(app, world: World, session: Session) -> None:
    first, second = log_in(app.test_client(), world.coordinator), log_in(app.test_client(), world.coordinator)
    seen_first, seen_second = _seen(first, "/pool/partner/"), _seen(second, "/pool/partner/")
    data = {"name": "Kennispartner BV", "budget_hours": "900", "hourly_rate": "120", "min_notice_weeks": "1",
            "valid_from": "2027-01-04", "valid_to": ""}
    assert first.post("/pool/partner/", data=data | {"version": seen_first}).status_code == 303
    refused = second.post("/pool/partner/", data=data | {"budget_hours": "5", "version": seen_second})
    assert refused.status_code == 409
    session.expire_all()
    assert session.scalars(select(PartnerContract)).one().budget_hours == 900
