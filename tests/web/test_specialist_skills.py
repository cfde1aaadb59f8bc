"""The coordinator adds a skill to a specialist at a level, changes it, and removes it with its own button."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import AuditEvent, Skill, SpecialistSkill
from tests.web.conftest import HTMX, World, log_in


def _cobol(session: Session) -> Skill:
    return session.scalars(select(Skill).where(Skill.code == "cobol")).one()


def test_the_add_form_offers_levels_1_to_5_and_only_skills_not_yet_held(client: FlaskClient, world: World,
                                                                        session: Session) -> None:
    log_in(client, world.coordinator)
    spec = world.spec_a.specialist
    page = client.get(f"/pool/specialists/{spec.id}").get_data(as_text=True)  # type: ignore[union-attr]
    add_form = page[page.index("Vaardigheid toevoegen"):page.index("Gegevens")]
    assert "verwijderen" not in add_form and '<option value="0"' not in add_form
    assert 'value="1"' in add_form and 'value="5"' in add_form
    assert f'<option value="{_cobol(session).id}">COBOL</option>' in add_form
    held = {h.skill.name for h in spec.skills}  # type: ignore[union-attr]
    assert all(f">{name}</option>" not in add_form for name in held)


def test_adding_a_skill_at_a_level_adds_it_and_says_so(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    spec_id, cobol = world.spec_a.specialist_id, _cobol(session)
    response = client.post(f"/pool/specialists/{spec_id}/skills", data={"skill_id": cobol.id, "level": 3})
    assert response.status_code == 303
    held = session.scalars(select(SpecialistSkill).where(SpecialistSkill.specialist_id == spec_id,
                                                         SpecialistSkill.skill_id == cobol.id)).one()
    assert held.level == 3
    page = client.get(f"/pool/specialists/{spec_id}").get_data(as_text=True)
    assert "COBOL is toegevoegd op niveau 3." in page


def test_level_0_is_no_longer_a_way_to_remove(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    spec = world.spec_a.specialist
    held = spec.skills[0]  # type: ignore[union-attr]
    response = client.post(f"/pool/specialists/{spec.id}/skills", data={"skill_id": held.skill_id, "level": 0})  # type: ignore[union-attr]
    assert response.status_code == 400
    session.expire_all()
    assert session.get(SpecialistSkill, held.id) is not None


def test_removing_a_skill_is_its_own_action_and_is_audited(client: FlaskClient, world: World,
                                                           session: Session) -> None:
    log_in(client, world.coordinator)
    spec = world.spec_a.specialist
    held = spec.skills[0]  # type: ignore[union-attr]
    held_id, skill_id, name = held.id, held.skill_id, held.skill.name
    row = client.get(f"/pool/specialists/{spec.id}").get_data(as_text=True)  # type: ignore[union-attr]
    assert f"/pool/specialists/{spec.id}/skills/{skill_id}/remove" in row  # type: ignore[union-attr]
    response = client.post(f"/pool/specialists/{spec.id}/skills/{skill_id}/remove",  # type: ignore[union-attr]
                           headers=HTMX | {"HX-Target": f"skill-{skill_id}"})
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    session.expunge_all()
    assert session.get(SpecialistSkill, held_id) is None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "set-level")).one()
    assert event.changes["level"][1] == 0
    response = client.post(f"/pool/specialists/{spec.id}/skills/{skill_id}/remove")  # type: ignore[union-attr]
    assert response.status_code == 404  # not held any more
    assert name
