"""The planning horizon: requests are written inside it, and those a new horizon leaves behind are flagged."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import Notification, Request
from pool.services.exchange import import_instance
from tests.conftest import SAMPLE
from tests.web.conftest import World, log_in


def _move_horizon(session: Session, start: str) -> None:
    doc = json.loads(SAMPLE.read_text("utf-8")) | {"requests": [], "previous_plan": []}
    doc["horizon"] = {"start": start, "weeks": 8}
    for s in doc["specialists"]:
        s["unavailable"] = []
    import_instance(session, doc)


def test_a_new_horizon_that_leaves_approved_requests_behind_tells_their_team_lead_and_the_coordinator(
    client: FlaskClient, world: World, session: Session
) -> None:
    assert world.request_a.status == "approved"
    _move_horizon(session, "2027-03-01")
    told = session.scalars(select(Notification).where(Notification.kind == "outside-horizon")).all()
    assert {(n.user_id, n.facts["request"]) for n in told} == {
        (world.lead_a.id, world.request_a.code), (world.coordinator.id, world.request_a.code),
        (world.lead_b.id, world.request_b.code), (world.coordinator.id, world.request_b.code)}
    page = log_in(client, world.lead_a).get("/notifications/").get_data(as_text=True)
    assert f"Aanvraag {world.request_a.code}" in page and "ligt nu buiten de planperiode" in page
    assert world.request_b.code not in page


def test_the_same_horizon_again_tells_nobody(world: World, session: Session) -> None:
    _move_horizon(session, "2027-01-04")
    assert session.scalars(select(Notification).where(Notification.kind == "outside-horizon")).all() == []


def test_the_overview_and_the_request_list_name_the_requests_outside_the_horizon(
    client: FlaskClient, world: World, session: Session
) -> None:
    _move_horizon(session, "2027-03-01")
    page = log_in(client, world.coordinator).get("/dashboard").get_data(as_text=True)
    assert "2 aanvragen liggen buiten de planperiode (week 9, 2027 tot en met week 16, 2027)" in page
    assert world.request_a.code in page and world.request_b.code in page
    page = log_in(client, world.lead_a).get("/requests/").get_data(as_text=True)
    assert "1 aanvraag ligt buiten de planperiode" in page and world.request_b.code not in page
    page = client.get(f"/requests/{world.request_a.id}").get_data(as_text=True)
    assert "De periode van deze aanvraag ligt buiten de planperiode" in page


def test_a_submitted_request_outside_the_horizon_cannot_be_approved(
    client: FlaskClient, world: World, session: Session
) -> None:
    request = session.get(Request, world.request_a.id)
    assert request is not None
    request.status = "submitted"
    session.commit()
    _move_horizon(session, "2027-03-01")
    response = log_in(client, world.coordinator).post(f"/requests/{request.id}/approve",
                                                      data={"reason": "", "version": str(request.version)})
    assert response.status_code == 422
    assert "De periode moet binnen de planperiode liggen" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Request, request.id).status == "submitted"  # type: ignore[union-attr]
