"""Team leads write, submit, change and cancel requests; the coordinator approves or rejects them."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.models import AuditEvent, Request
from tests.web.conftest import HTMX, World, log_in


def _form(world: World, **over: str) -> dict[str, str]:
    skill_id = world.request_a.needs[0].skill_id
    data = {"title": "Nieuwe aanvraag", "description": "", "first_week": "2027-W03", "last_week": "2027-W06",
            "max_hours_per_week": "10", "priority": "2", "needs-0-skill_id": str(skill_id),
            "needs-0-min_level": "3", "needs-0-hours": "20", "needs-1-skill_id": "", "needs-1-hours": ""}
    return data | over


def _new(session: Session) -> Request:
    session.expire_all()
    return session.scalars(select(Request).order_by(Request.id.desc())).first()  # type: ignore[return-value]


def test_a_team_lead_saves_a_draft_then_submits_it(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.lead_a)
    response = client.post("/requests/new", data=_form(world, action="save"))
    assert response.status_code == 303
    req = _new(session)
    assert (req.status, req.municipality_id, req.code[0]) == ("draft", world.lead_a.municipality_id, "R")
    assert str(req.first_week) == "2027-01-18" and str(req.last_week) == "2027-02-08"
    assert [(n.min_level, n.hours) for n in req.needs] == [(3, 20)]
    assert client.post(f"/requests/{req.id}/submit").status_code == 303
    assert _new(session).status == "submitted"
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == req.code)).all()
    assert actions == ["create", "submitted"]


def test_codes_of_new_requests_are_unique(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.lead_a)
    client.post("/requests/new", data=_form(world, action="save"))
    client.post("/requests/new", data=_form(world, action="submit"))
    codes = session.scalars(select(Request.code)).all()
    assert len(codes) == len(set(codes)) == 4


def test_a_submitted_request_can_be_changed_by_its_team_lead_and_stays_submitted(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.lead_a)
    client.post("/requests/new", data=_form(world, action="submit"))
    req = _new(session)
    response = client.post(f"/requests/{req.id}/edit", data=_form(world, title="Gewijzigd", action="save"))
    assert response.status_code == 303
    assert (_new(session).title, _new(session).status) == ("Gewijzigd", "submitted")


def test_an_approved_request_cannot_be_changed_by_the_team_lead_but_can_be_cancelled(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.lead_a)
    assert world.request_a.status == "approved"
    response = client.post(f"/requests/{world.request_a.id}/edit", data=_form(world, action="save"))
    assert response.status_code == 422
    response = client.post(f"/requests/{world.request_a.id}/cancel", data={"reason": "niet meer nodig"},
                           headers=HTMX)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith(f"/{world.request_a.id}")
    session.expire_all()
    assert session.get(Request, world.request_a.id).status == "cancelled"  # type: ignore[union-attr]


def test_an_invalid_request_is_shown_again_with_its_errors(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    response = client.post("/requests/new", data=_form(world, last_week="2027-W01", title="", action="submit"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in page and "De laatste week ligt vóór de eerste week." in page


def test_a_field_is_validated_as_the_user_leaves_it(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    response = client.post("/requests/validate?field=last_week", data=_form(world, last_week="2027-W01"),
                           headers=HTMX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page
    assert "De laatste week ligt vóór de eerste week." in page
    assert 'hx-post="/requests/validate?field=last_week"' in page


def test_the_coordinator_approves_or_rejects_only_with_a_reason(client: FlaskClient, world: World,
                                                                 session: Session) -> None:
    log_in(client, world.lead_b)
    client.post("/requests/new", data=_form(world, action="submit"))
    first = _new(session)
    client.post("/requests/new", data=_form(world, action="submit"))
    second = _new(session)
    log_in(client, world.coordinator)
    assert client.post(f"/requests/{first.id}/approve", data={"reason": ""}).status_code == 303
    assert client.post(f"/requests/{second.id}/reject", data={"reason": ""}).status_code == 422
    assert client.post(f"/requests/{second.id}/reject", data={"reason": "Buiten de afspraken"}).status_code == 303
    session.expire_all()
    assert session.get(Request, first.id).status == "approved"  # type: ignore[union-attr]
    rejected = session.get(Request, second.id)
    assert (rejected.status, rejected.status_reason) == ("rejected", "Buiten de afspraken")  # type: ignore[union-attr]
    log_in(client, world.lead_b)
    assert "Buiten de afspraken" in client.get(f"/requests/{second.id}").get_data(as_text=True)


def test_the_team_lead_sees_who_comes_when_and_why_the_rest_is_not_filled(client: FlaskClient,
                                                                           world: World) -> None:
    log_in(client, world.lead_a)
    page = client.get(f"/requests/{world.request_a.id}").get_data(as_text=True)
    assert "week 3, 2027" in page and "A. de Vries" in page and "Dordrecht" in page
    assert "Ingepland: 20 van 40 uur." in page
    assert "De uren van de geschikte specialisten gaan naar aanvragen met een hogere prioriteit." in page
    assert "Taken by request R00002." in page


def test_the_list_filters_as_you_type(client: FlaskClient, world: World) -> None:
    log_in(client, world.coordinator)
    rows = client.get(f"/requests/?q={world.request_b.code}", headers=HTMX | {"HX-Target": "request-list"})
    text = rows.get_data(as_text=True)
    assert "<html" not in text and world.request_b.code in text and world.request_a.code not in text
    full = client.get(f"/requests/?q={world.request_b.code}").get_data(as_text=True)
    assert "<html" in full and 'id="request-rows"' in full


def test_one_more_need_row_comes_from_the_server(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    text = client.post("/requests/need-row?index=3", headers=HTMX).get_data(as_text=True)
    assert 'id="needs-3-skill_id"' in text and 'hx-swap-oob="true"' in text and "index=4" in text
    plain = client.post("/requests/new", data=_form(world, action="add_need")).get_data(as_text=True)
    assert 'id="needs-2-skill_id"' in plain


def _errors(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field)}-error">([^<]*)</p>', page)
    return found.group(1) if found else ""


def test_a_window_outside_the_planning_horizon_is_refused_on_its_field(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.lead_a)
    before = session.scalar(select(func.count()).select_from(Request))
    for first, last, field in (("2020-W02", "2020-W10", "first_week"), ("2027-W03", "2031-W02", "last_week")):
        response = client.post("/requests/new", data=_form(world, first_week=first, last_week=last, action="submit"))
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert _errors(page, field) == ("De periode moet binnen de planperiode liggen: week 1, 2027 tot en met "
                                        "week 8, 2027.")
        assert f'value="{first}"' in page and 'value="Nieuwe aanvraag"' in page
    assert session.scalar(select(func.count()).select_from(Request)) == before


def test_the_week_fields_offer_the_horizon_and_a_hint_that_reads_week_first(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    page = client.get("/requests/new").get_data(as_text=True)
    assert 'min="2027-W01"' in page and 'max="2027-W08"' in page
    assert "Eerst het weeknummer, dan het jaar" in page and "week 1, 2027 tot en met week 8, 2027" in page


def test_a_week_typed_week_first_is_understood(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.lead_a)
    response = client.post("/requests/new", data=_form(world, first_week="03 2027", last_week="week 6, 2027",
                                                       action="save"))
    assert response.status_code == 303
    assert str(_new(session).first_week) == "2027-01-18" and str(_new(session).last_week) == "2027-02-08"


def test_a_week_outside_the_horizon_is_refused_as_the_user_leaves_the_field(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    response = client.post("/requests/validate?field=first_week", data=_form(world, first_week="2708-W20"),
                           headers=HTMX)
    assert "De periode moet binnen de planperiode liggen" in response.get_data(as_text=True)


def test_hours_that_cannot_fit_the_window_at_the_weekly_maximum_are_refused(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.lead_a)
    before = session.scalar(select(func.count()).select_from(Request))
    response = client.post("/requests/new", data=_form(world, first_week="2027-W03", last_week="2027-W04",
                                                       max_hours_per_week="4", **{"needs-0-hours": "400"},
                                                       action="submit"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _errors(page, "max_hours_per_week").startswith("400 uur past niet in 2 weken van hoogstens 4 uur per week")
    assert session.scalar(select(func.count()).select_from(Request)) == before
    fits = client.post("/requests/new", data=_form(world, first_week="2027-W03", last_week="2027-W04",
                                                   max_hours_per_week="4", **{"needs-0-hours": "8"}, action="submit"))
    assert fits.status_code == 303
