"""A specialist's assignments, leave, skill profile and calendar feed."""

from __future__ import annotations

from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import SkillChange, SpecialistSkill, Unavailability, User
from tests.web.conftest import HTMX, World, log_in


def test_a_specialist_sees_its_assignments_week_by_week(client: FlaskClient, world: World) -> None:
    log_in(client, world.spec_a)
    page = client.get("/me/").get_data(as_text=True)
    assert "week 2, 2027" in page and "week 3, 2027" in page and world.request_a.code in page and "Dordrecht" in page


def test_a_specialist_records_and_removes_leave(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.spec_a)
    response = client.post("/me/leave", data={"kind": "home-duty", "start_date": "2027-03-01",
                                              "end_date": "2027-03-12", "hours_per_week": "4", "note": "Audit"})
    assert response.status_code == 303
    row = session.scalars(select(Unavailability).where(Unavailability.note == "Audit")).one()
    assert (row.specialist_id, row.kind, row.hours_per_week) == (world.spec_a.specialist_id, "home-duty", 4)
    row_id = row.id
    assert client.post(f"/me/leave/{row_id}/delete", headers=HTMX).status_code == 204
    session.expunge_all()
    assert session.scalars(select(Unavailability).where(Unavailability.id == row_id)).first() is None


def test_leave_that_ends_before_it_starts_is_refused(client: FlaskClient, world: World) -> None:
    log_in(client, world.spec_a)
    response = client.post("/me/leave", data={"kind": "leave", "start_date": "2027-03-10",
                                              "end_date": "2027-03-01", "hours_per_week": "4"})
    assert response.status_code == 422


def test_a_new_level_waits_for_the_coordinator(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.spec_a)
    held = world.spec_a.specialist.skills[0]  # type: ignore[union-attr]
    new_level = 5 if held.level != 5 else 4
    response = client.post("/me/skills/propose", data={"skill_id": held.skill_id, "level": new_level, "note": "cursus"},
                           headers=HTMX | {"HX-Target": f"skill-{held.skill_id}"})
    assert response.status_code == 200 and f'id="skill-{held.skill_id}"' in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(SpecialistSkill, held.id).level == held.level  # type: ignore[union-attr]
    change = session.scalars(select(SkillChange)).one()
    log_in(client, world.coordinator)
    assert client.post(f"/pool/skill-changes/{change.id}", data={"decision": "approve"}).status_code == 303
    session.expire_all()
    assert session.get(SpecialistSkill, held.id).level == new_level  # type: ignore[union-attr]


def test_the_calendar_feed_lives_behind_a_revocable_token(client: FlaskClient, world: World,
                                                          session: Session) -> None:
    log_in(client, world.spec_a)
    assert client.post("/me/calendar/token").status_code == 303
    token = session.get(User, world.spec_a.id).calendar_token  # type: ignore[union-attr]
    session.expire_all()
    token = session.get(User, world.spec_a.id).calendar_token  # type: ignore[union-attr]
    assert token
    log_in(client, None)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == 2 and world.request_a.code in str(events[0]["summary"])
    log_in(client, world.spec_a)
    client.post("/me/calendar/revoke")
    assert client.get(f"/calendar/{token}.ics").status_code == 404
