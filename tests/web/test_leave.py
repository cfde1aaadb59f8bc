"""Leave: never more than the pool hours, no week counted twice, and a clash with the published plan is told."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import Notification, Unavailability
from tests.web.conftest import World, log_in


def _leave(client: FlaskClient, **over: str):  # type: ignore[no-untyped-def]
    data = {"kind": "leave", "start_date": "2027-03-01", "end_date": "2027-03-05", "hours_per_week": "8",
            "note": "Vakantie"} | over
    return client.post("/me/leave", data=data, follow_redirects=True)


def _error_of(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field)}-error">([^<]*)</p>', page)
    return found.group(1) if found else ""


def _count(session: Session, world: World) -> int:
    session.expire_all()
    return len(session.scalars(select(Unavailability).where(
        Unavailability.specialist_id == world.spec_a.specialist_id)).all())


def test_leave_beyond_the_pool_hours_is_refused_next_to_the_hours(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.spec_a)  # S0001 gives 16 pool hours a week
    before = _count(session, world)
    response = _leave(client, hours_per_week="100")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_of(page, "hours_per_week") == ("Verlof telt de pooluren die u weg bent: hoogstens uw 16 pooluren "
                                                 "per week.")
    assert 'value="Vakantie"' in page and 'value="2027-03-01"' in page
    assert _count(session, world) == before


def test_leave_overlapping_leave_of_the_same_kind_is_refused(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.spec_a)
    assert _leave(client).status_code == 200
    before = _count(session, world)
    page = _leave(client, start_date="2027-03-04", end_date="2027-03-12").get_data(as_text=True)
    assert _error_of(page, "start_date").startswith("Deze periode overlapt met uw verlof van 2027-03-01")
    assert _count(session, world) == before


def test_a_home_duty_beside_leave_may_not_take_more_than_the_pool_hours_together(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.spec_a)
    _leave(client, hours_per_week="12")
    page = _leave(client, kind="home-duty", hours_per_week="8").get_data(as_text=True)
    assert _error_of(page, "hours_per_week").startswith("Samen met wat u al hebt vastgelegd, bent u in de week van "
                                                        "2027-03-01 20 uur weg")
    assert _leave(client, kind="home-duty", hours_per_week="4").status_code == 200


def test_leave_in_weeks_the_published_plan_has_you_working_is_shown_and_told_to_the_coordinator(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.spec_a)  # planned 12 h in the week of 2027-01-11 and 8 h in that of 2027-01-18
    page = _leave(client, start_date="2027-01-11", end_date="2027-01-15", hours_per_week="16").get_data(as_text=True)
    assert "Volgens het gepubliceerde plan werkt u in week 2, 2027." in page
    assert "week 2, 2027: 12 uur gepland, 0 uur vrij" in page
    told = session.scalars(select(Notification).where(Notification.kind == "leave-clash")).all()
    assert [(n.user_id, n.facts["weeks"]) for n in told] == [(world.coordinator.id, ["2027-01-11"])]
    overview = log_in(client, world.coordinator).get("/dashboard").get_data(as_text=True)
    assert "Opnieuw plannen is nodig: verlof botst met het gepubliceerde plan" in overview
    assert "week 2, 2027 (12 uur gepland, 0 vrij)" in overview
    assert "Opnieuw plannen is nodig" in client.get("/plans/runs").get_data(as_text=True)


def test_leave_that_leaves_the_planned_hours_free_is_no_clash(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.spec_a)
    page = _leave(client, start_date="2027-01-18", end_date="2027-01-22", hours_per_week="8").get_data(as_text=True)
    assert "gepubliceerde plan" not in page
    assert session.scalars(select(Notification).where(Notification.kind == "leave-clash")).all() == []
