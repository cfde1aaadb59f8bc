"""A refusal of the domain is said on the form it came from, next to its field, in the user's language."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.errors import PoolError
from pool.models import Specialist, User
from tests.web.conftest import World, log_in
from web.refusals import say


def _english(client: FlaskClient) -> FlaskClient:
    client.post("/language", data={"lang": "en"})
    return client


def _error_of(page: str, field: str) -> str:
    """The error text shown under a field, or "" when there is none."""
    found = re.search(rf'<p class="error" id="{re.escape(field)}-error">([^<]*)</p>', page)
    return found.group(1) if found else ""


def _account(world: World, **over: str) -> dict[str, str]:
    data = {"username": "tl-nieuw", "name": "Nieuwe Teamleider", "email": "nieuw@example.org", "role": "team_lead",
            "municipality_id": "", "specialist_id": "", "active": "y", "password": "een lang wachtwoord"}
    return data | over


def test_a_team_lead_account_without_a_municipality_is_refused_next_to_that_field_in_dutch(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.coordinator)
    response = client.post("/pool/users/new", data=_account(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_of(page, "municipality_id") == "Een teamleider hoort bij een gemeente: kies de gemeente."
    assert 'value="tl-nieuw"' in page and 'value="Nieuwe Teamleider"' in page and "nieuw@example.org" in page
    assert "a team lead belongs" not in page


def test_the_same_refusal_reads_in_english_for_an_english_reader(client: FlaskClient, world: World) -> None:
    _english(log_in(client, world.coordinator))
    page = client.post("/pool/users/new", data=_account(world)).get_data(as_text=True)
    assert _error_of(page, "municipality_id") == "A team lead belongs to a municipality."


def test_deactivating_your_own_account_is_refused_next_to_active(client: FlaskClient, world: World) -> None:
    log_in(client, world.coordinator)
    me = world.coordinator
    data = {"username": me.username, "name": "Mijn nieuwe naam", "email": "", "role": "coordinator",
            "municipality_id": "", "specialist_id": "", "active": "", "password": ""}
    response = client.post(f"/pool/users/{me.id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_of(page, "active") == "U kunt uw eigen account niet uitzetten en uw eigen rol niet wijzigen."
    assert 'value="Mijn nieuwe naam"' in page


def test_a_new_specialist_without_a_code_gets_the_next_free_code(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.coordinator)
    response = client.post("/pool/specialists/new", data={
        "code": "", "name": "Zonder Code", "municipality_id": str(world.lead_a.municipality_id),
        "pool_hours_per_week": "8", "hourly_cost": "0", "active": "y"})
    assert response.status_code == 303
    added = session.scalars(select(Specialist).where(Specialist.name == "Zonder Code")).one()
    assert re.fullmatch(r"S\d{4}", added.code)
    assert added.code not in {"S0001", "S0002", "S0003"}


def test_a_partner_contract_ending_before_it_starts_is_refused_next_to_its_end(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.coordinator)
    response = client.post("/pool/partner/", data={"name": "Kennispartner BV", "budget_hours": "400",
                                                   "hourly_rate": "120", "min_notice_weeks": "2",
                                                   "valid_from": "2027-06-01", "valid_to": "2027-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_of(page, "valid_to").startswith("Het contract eindigt voordat het begint")
    assert 'value="Kennispartner BV"' in page and 'value="2027-01-01"' in page


def test_rejecting_a_skill_change_without_a_reason_is_refused_next_to_the_reason(
    client: FlaskClient, world: World
) -> None:
    log_in(client, world.spec_a)
    skill_id = world.request_a.needs[0].skill_id
    assert client.post("/me/skills/propose", data={"skill_id": str(skill_id), "level": "5"}).status_code == 303
    log_in(client, world.coordinator)
    page = client.get("/pool/skill-changes/").get_data(as_text=True)
    change_id = re.search(r'/pool/skill-changes/(\d+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(f"/pool/skill-changes/{change_id}", data={"decision": "reject", "reason": " "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_of(page, f"reason-{change_id}") == "Zeg waarom de wijziging wordt afgewezen."


def test_a_plain_english_refusal_still_reads_as_a_sentence(app: Flask) -> None:
    with app.test_request_context():
        assert say(PoolError("something nobody translated yet")) == "Something nobody translated yet."
        assert say(PoolError("the code %(code)s is taken", code="GM0505")) == "De code GM0505 is al in gebruik."
        assert str(PoolError("the code %(code)s is taken", code="GM0505")) == "the code GM0505 is taken"


def test_zero_hours_for_a_skill_is_said_once_in_dutch(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    skill_id = world.request_a.needs[0].skill_id
    response = client.post("/requests/new", data={
        "title": "Nul uur", "first_week": "2027-W03", "last_week": "2027-W06", "max_hours_per_week": "10",
        "priority": "3", "needs-0-skill_id": str(skill_id), "needs-0-min_level": "3", "needs-0-hours": "0",
        "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_of(page, "needs-0-hours") == "Getal moet tussen 1 en 5000 liggen."
    assert "Number must" not in page and "Nummer" not in page


def test_built_in_messages_of_every_form_are_dutch(client: FlaskClient, world: World) -> None:
    log_in(client, world.coordinator)
    page = client.post("/pool/specialists/new", data={
        "code": "", "name": "", "pool_hours_per_week": "99", "hourly_cost": "x"}).get_data(as_text=True)
    assert _error_of(page, "name") == "Vul dit veld in."
    assert _error_of(page, "pool_hours_per_week") == "Getal moet tussen 0 en 60 liggen."
    assert _error_of(page, "hourly_cost") == "Geef een heel getal."


def test_an_account_left_after_a_refusal_is_not_saved(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    client.post("/pool/users/new", data=_account(world))
    assert session.scalars(select(User).where(User.username == "tl-nieuw")).first() is None


def test_a_refused_button_without_a_form_says_why_in_dutch_and_links_back(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    here = f"http://localhost/requests/{world.request_a.id}"
    response = client.post(f"/requests/{world.request_a.id}/submit", headers={"Referer": here})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Een aanvraag die goedgekeurd is, kan niet ingediend worden." in page
    assert f'<a href="/requests/{world.request_a.id}">Terug naar de pagina waar u vandaan kwam</a>' in page


def test_no_link_back_to_another_site(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    response = client.post(f"/requests/{world.request_a.id}/submit", headers={"Referer": "https://evil.example/x"})
    assert "Terug naar de pagina waar u vandaan kwam" not in response.get_data(as_text=True)
