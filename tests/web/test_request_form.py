"""The request form and list: Enter saves, the title states its limit and a longer one is refused with a
message, the list shows planned of asked hours, and a request that is not planned yet says why."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.models import Request
from tests.web.conftest import World, log_in


def _form(world: World, **over: str) -> dict[str, str]:
    data = {"title": "Nieuwe aanvraag", "first_week": "2027-W03", "last_week": "2027-W06",
            "max_hours_per_week": "10", "priority": "2", "needs-0-skill_id": str(world.request_a.needs[0].skill_id),
            "needs-0-min_level": "3", "needs-0-hours": "20"}
    return data | over


def test_the_first_submit_button_of_the_request_form_saves(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    page = client.get("/requests/new").get_data(as_text=True)
    first = re.search(r"<button[^>]*type=\"submit\"[^>]*>", page[page.index('class="request-form"'):])
    assert first and 'value="save"' in first.group(0)


def test_the_title_states_its_limit_and_a_longer_title_is_refused_not_cut(client: FlaskClient, world: World,
                                                                          session: Session) -> None:
    log_in(client, world.lead_a)
    page = client.get("/requests/new").get_data(as_text=True)
    title_input = re.search(r'<input[^>]*id="title"[^>]*>', page).group(0)  # type: ignore[union-attr]
    assert "maxlength" not in title_input  # the browser would cut a pasted title without a word
    assert "Hoogstens 300 tekens." in page and 'aria-describedby="title-hint"' in title_input
    before = session.scalar(select(func.count()).select_from(Request))
    response = client.post("/requests/new", data=_form(world, title="x" * 5000, action="save"))
    assert response.status_code == 422
    assert "Een titel heeft hoogstens 300 tekens; deze heeft er 5000." in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Request)) == before
    assert client.post("/requests/new", data=_form(world, title="y" * 300, action="save")).status_code == 303


def test_the_team_leads_list_shows_planned_of_asked_hours(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    page = client.get("/requests/").get_data(as_text=True)
    assert "Ingeplande / gevraagde uren" in page
    row = page[page.index(world.request_a.code):]
    assert re.search(r">\s*20/40\s*</td>", row[:row.index("</tr>")])


def test_a_draft_says_it_is_not_planned_yet_instead_of_nobody_is_planned(client: FlaskClient, world: World,
                                                                         session: Session) -> None:
    log_in(client, world.lead_a)
    client.post("/requests/new", data=_form(world, action="save"))
    draft = session.scalars(select(Request).order_by(Request.id.desc())).first()
    page = client.get(f"/requests/{draft.id}").get_data(as_text=True)  # type: ignore[union-attr]
    assert "Voor deze aanvraag is niemand ingepland." not in page
    assert "Nog niet ingepland: de planner neemt een aanvraag mee zodra de coördinator die heeft goedgekeurd." in page


def test_a_too_long_description_is_refused_with_a_message_not_cut(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    page = client.get("/requests/new").get_data(as_text=True)
    assert "maxlength" not in re.search(r"<textarea[^>]*>", page).group(0)  # type: ignore[union-attr]
    assert "Hoogstens 5000 tekens." in page
    response = client.post("/requests/new", data=_form(world, description="d" * 5001, action="save"))
    assert response.status_code == 422
    assert "Een beschrijving heeft hoogstens 5000 tekens; deze heeft er 5001." in response.get_data(as_text=True)


def test_the_title_limit_is_said_in_english_to_an_english_reader(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    client.post("/language", data={"lang": "en", "next": "/requests/new"})
    page = client.get("/requests/new").get_data(as_text=True)
    assert "At most 300 characters." in page
    response = client.post("/requests/new", data=_form(world, title="x" * 301, action="save"))
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "A title has at most 300 characters; this one has 301." in text
    assert "tekens" not in text
