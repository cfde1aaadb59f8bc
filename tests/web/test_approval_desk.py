"""The coordinator's approve page: who is qualified with their free hours, how long it waits, the next one;
and approving several requests at once, each audited as its own decision."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import AuditEvent, Request
from tests.web.conftest import World, log_in


def _submit(client: FlaskClient, world: World, session: Session, title: str) -> Request:
    skill_id = world.request_a.needs[0].skill_id  # bio-security
    log_in(client, world.lead_b)
    client.post("/requests/new", data={
        "title": title, "first_week": "2027-W03", "last_week": "2027-W06", "max_hours_per_week": "10",
        "priority": "2", "needs-0-skill_id": str(skill_id), "needs-0-min_level": "3", "needs-0-hours": "20",
        "action": "submit"})
    session.expire_all()
    return session.scalars(select(Request).where(Request.title == title)).one()


def _row(page: str, name: str) -> str:
    match = re.search(r"<tr>\s*<td[^>]*>" + re.escape(name) + r"</td>.*?</tr>", page, re.S)
    assert match, f"no row for {name}"
    return match.group(0)


def test_the_approve_page_shows_who_is_qualified_with_their_free_hours_in_the_window(
    client: FlaskClient, world: World, session: Session
) -> None:
    req = _submit(client, world, session, "Audit BIO")
    log_in(client, world.coordinator)
    page = client.get(f"/requests/{req.id}").get_data(as_text=True)
    assert "Geschikt voor" in page
    # weeks 3-6 of 2027 are horizon weeks 2-5: 16 h a week, minus 8 h planned in week 2, minus leave in week 3
    assert re.search(r">\s*40\s*</td>", _row(page, "A. de Vries"))
    assert "K. Bakker" not in page  # level 2 is below the minimum level 3
    assert "Kennispartner consultant 1" not in page  # the request does not allow the partner
    assert "op een besluit (sinds" in page and "Wacht al" in page


def test_the_approve_page_links_to_the_next_waiting_request(client: FlaskClient, world: World,
                                                             session: Session) -> None:
    first = _submit(client, world, session, "Eerste aanvraag")
    second = _submit(client, world, session, "Tweede aanvraag")
    log_in(client, world.coordinator)
    page = client.get(f"/requests/{first.id}").get_data(as_text=True)
    assert f'href="/requests/{second.id}"' in page and "Volgende wachtende aanvraag" in page
    assert "2 aanvragen wachten op een besluit." in page
    client.post(f"/requests/{second.id}/approve", data={"reason": ""})
    page = client.get(f"/requests/{second.id}").get_data(as_text=True)
    assert f'href="/requests/{first.id}"' in page  # after approving, the next one is one click away


def test_the_coordinator_approves_several_at_once_and_each_is_audited(client: FlaskClient, world: World,
                                                                       session: Session) -> None:
    a = _submit(client, world, session, "Een")
    b = _submit(client, world, session, "Twee")
    log_in(client, world.coordinator)
    listing = client.get("/requests/?status=submitted").get_data(as_text=True)
    assert 'id="approve-many"' in listing and f'name="request_id" value="{a.id}"' in listing
    response = client.post("/requests/approve", data={"request_id": [str(a.id), str(b.id)], "reason": "Akkoord"})
    assert response.status_code == 303
    session.expire_all()
    assert {session.get(Request, a.id).status, session.get(Request, b.id).status} == {"approved"}  # type: ignore[union-attr]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "approved")).all()
    assert sorted(e.entity_id for e in events) == sorted([a.code, b.code])
    assert all(e.reason == "Akkoord" and e.user_id == world.coordinator.id for e in events)
    page = client.get("/requests/?status=submitted").get_data(as_text=True)
    assert f"2 aanvragen zijn goedgekeurd: {a.code}, {b.code}." in page


def test_approving_several_refuses_all_when_one_no_longer_waits(client: FlaskClient, world: World,
                                                                 session: Session) -> None:
    a = _submit(client, world, session, "Een")
    log_in(client, world.coordinator)
    response = client.post("/requests/approve", data={"request_id": [str(a.id), str(world.request_a.id)],
                                                      "reason": "Akkoord"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Wacht niet meer op een besluit: {world.request_a.code}. Er is niets goedgekeurd" in page
    assert f'value="{a.id}" id="pick-{a.id}" checked' in page and 'value="Akkoord"' in page  # kept as ticked
    session.expire_all()
    assert session.get(Request, a.id).status == "submitted"  # type: ignore[union-attr]
    response = client.post("/requests/approve", data={})
    assert response.status_code == 303
    assert "Vink ten minste één aanvraag aan" in client.get("/requests/?status=submitted").get_data(as_text=True)


def test_a_team_lead_gets_no_ticks_and_cannot_approve_in_bulk(client: FlaskClient, world: World,
                                                               session: Session) -> None:
    a = _submit(client, world, session, "Een")
    assert 'id="approve-many"' not in client.get("/requests/?status=submitted").get_data(as_text=True)
    assert client.post("/requests/approve", data={"request_id": [str(a.id)]}).status_code == 403
    session.expire_all()
    assert session.get(Request, a.id).status == "submitted"  # type: ignore[union-attr]
