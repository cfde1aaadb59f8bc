"""The coordinator keeps the pool: municipalities, contributions, specialists, skills, partner, accounts."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import Municipality, PartnerContract, Skill, SpecialistSkill, User
from pool.security import check_password
from tests.web.conftest import HTMX, World, log_in


def test_a_new_contribution_ends_the_one_in_force(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    m = world.lead_a.municipality
    response = client.post(f"/pool/municipalities/{m.id}/contributions",  # type: ignore[union-attr]
                           data={"hours_per_week": "30", "valid_from": "2027-04-05", "reason": "begroting"})
    assert response.status_code == 303
    session.expire_all()
    contributions = session.get(Municipality, m.id).contributions  # type: ignore[union-attr]
    assert [(str(c.valid_to), c.hours_per_week) for c in contributions][-2:] == [("2027-04-04", 24), ("None", 30)]


def test_a_municipality_is_added(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    assert client.post("/pool/municipalities/new", data={"code": "GM0590", "name": "Papendrecht"}).status_code == 303
    assert session.scalars(select(Municipality).where(Municipality.code == "GM0590")).one().name == "Papendrecht"
    assert client.post("/pool/municipalities/new", data={"code": "0590", "name": "X"}).status_code == 422


def test_a_skill_is_renamed_inline(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    skill = session.scalars(select(Skill)).first()
    assert skill is not None
    edit = client.get(f"/pool/skills/{skill.id}", headers=HTMX).get_data(as_text=True)
    assert edit.startswith(f'<tr id="skill-{skill.id}">') and "<form" in edit
    row = client.post(f"/pool/skills/{skill.id}", data={"name": "Nieuwe naam"}, headers=HTMX)
    assert row.status_code == 200 and "Nieuwe naam" in row.get_data(as_text=True)
    assert "<html" in client.get(f"/pool/skills/{skill.id}").get_data(as_text=True)  # without htmx: a page


def test_the_list_of_specialists_filters_as_you_type(client: FlaskClient, world: World) -> None:
    log_in(client, world.coordinator)
    rows = client.get("/pool/specialists/?q=Bakker", headers=HTMX | {"HX-Target": "specialist-list"})
    text = rows.get_data(as_text=True)
    assert "K. Bakker" in text and "A. de Vries" not in text


def test_the_coordinator_sets_a_level_directly(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    spec = world.spec_a.specialist
    held = spec.skills[0]  # type: ignore[union-attr]
    response = client.post(f"/pool/specialists/{spec.id}/skills", data={"skill_id": held.skill_id, "level": 1},  # type: ignore[union-attr]
                           headers=HTMX | {"HX-Target": f"skill-{held.skill_id}"})
    assert response.status_code == 200
    session.expire_all()
    assert session.get(SpecialistSkill, held.id).level == 1  # type: ignore[union-attr]


def test_the_partner_contract_is_saved(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    response = client.post("/pool/partner/", data={"name": "Kennispartner BV", "budget_hours": "400",
                                                   "hourly_rate": "120", "min_notice_weeks": "2",
                                                   "valid_from": "2027-01-01", "valid_to": ""})
    assert response.status_code == 303
    contract = session.scalars(select(PartnerContract)).one()
    session.refresh(contract)
    assert (contract.budget_hours, contract.hourly_rate, contract.min_notice_weeks) == (400, 120, 2)


def test_accounts_are_created_and_changed(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    data = {"username": "tl-new", "name": "Nieuwe Teamleider", "email": "", "role": "team_lead",
            "municipality_id": str(world.lead_a.municipality_id), "specialist_id": "", "active": "y",
            "password": "een lang wachtwoord"}
    assert client.post("/pool/users/new", data=data).status_code == 303
    user = session.scalars(select(User).where(User.username == "tl-new")).one()
    assert check_password(user.password_hash, "een lang wachtwoord")
    assert client.post(f"/pool/users/{user.id}", data=data | {"active": "", "password": ""}).status_code == 303
    session.expire_all()
    assert session.get(User, user.id).active is False  # type: ignore[union-attr]
