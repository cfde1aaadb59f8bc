"""The coordinator's plan pages: figures, grid, one request in a plan, comparing, downloads and uploads."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.formats import validate_instance, validate_plan
from pool.models import Assignment, Need, Plan, Request, Skill, Specialist
from pool.services.exchange import export_instance, export_plan
from pool.services.plan_figures import plan_figures
from pool.services.planning import plan_situation, publish_plan
from pool.services.plans import GRID_PAGE_SIZE
from tests.web.conftest import HTMX, World, log_in


def _published(session: Session) -> Plan:
    return session.scalars(select(Plan).where(Plan.status == "published")).one()


def _draft(session: Session) -> Plan:
    return plan_situation(session, method="greedy", name="Greedy draft")


def test_the_figures_are_measured_on_the_plan_s_assignments(world: World, session: Session) -> None:
    plan = _published(session)
    f = plan_figures(session, [plan.id])[plan.id]
    # The world's published plan: 20 of the 40 hours of R00001 (priority high, weight 300), by S0001.
    assert (f.demand_hours, f.filled_hours, f.weighted_fill) == (40, 20, 20 * 300)
    assert f.filled_by_priority == {2: 20} and f.demand_by_priority == {2: 40}
    assert f.unmet_by_reason == {"capacity-taken": 20}
    assert (f.worst_municipality, f.worst_share) == ("Dordrecht", 0.5)
    assert (f.specialists_per_need, f.partner_hours, f.partner_cost, f.assignments) == (1.0, 0, 0, 2)


def test_partner_hours_and_their_cost_count_in_the_figures(world: World, session: Session) -> None:
    plan = _published(session)
    partner = session.scalars(select(Specialist).where(Specialist.kind == "partner")).one()
    partner.hourly_cost = 150
    plan.assignments.append(Assignment(need=world.request_a.needs[0], specialist=partner, week=dt.date(2027, 1, 25),
                                       hours=4))
    session.commit()
    f = plan_figures(session, [plan.id])[plan.id]
    assert (f.partner_hours, f.partner_cost, f.filled_hours, f.specialists_per_need) == (4, 600, 24, 2.0)


def test_the_plans_list_and_the_plan_page_show_the_figures_beside_the_published_plan(
    client: FlaskClient, world: World, session: Session
) -> None:
    draft = _draft(session)
    log_in(client, world.coordinator)
    listing = client.get("/plans/").get_data(as_text=True)
    assert "Greedy draft" in listing and "concept" in listing and "gepubliceerd" in listing
    page = client.get(f"/plans/{draft.id}").get_data(as_text=True)
    assert "Dit plan naast het gepubliceerde plan" in page
    published = plan_figures(session, [_published(session).id])[_published(session).id]
    mine = plan_figures(session, [draft.id])[draft.id]
    assert f"<td class=\"num\">{mine.weighted_fill:,}</td>".replace(",", ".") in page
    assert f"<td class=\"num\">{published.weighted_fill:,}</td>".replace(",", ".") in page
    assert "Score per doel" in page and "Ingevulde vraag, in uren gewogen naar prioriteit" in page


def test_the_grid_shows_hours_per_week_with_the_municipality_in_words(client: FlaskClient, world: World,
                                                                      session: Session) -> None:
    plan = _published(session)
    log_in(client, world.coordinator)
    grid = client.get(f"/plans/{plan.id}?name=Vries", headers=HTMX | {"HX-Target": "plan-grid"})
    text = grid.get_data(as_text=True)
    assert "<html" not in text and "A. de Vries" in text and "K. Bakker" not in text
    # week 2 and 3 of 2027 hold 12 and 8 hours for Dordrecht: the name beside the colour
    assert "<strong>12</strong> Dordrecht" in text and "<strong>8</strong> Dordrecht" in text
    assert "week 2, 2027" in text


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("name=bakker", {"K. Bakker"}, {"A. de Vries", "M. van den Berg"}),
    ("skill={gis}", {"A. de Vries", "M. van den Berg"}, {"K. Bakker"}),
    ("municipality={zwijndrecht}", {"K. Bakker"}, {"A. de Vries", "M. van den Berg"}),
])
def test_the_grid_filters_by_name_skill_and_municipality(client: FlaskClient, world: World, session: Session,
                                                          query: str, shown: set[str], hidden: set[str]) -> None:
    plan = _published(session)
    gis = session.scalars(select(Skill.id).where(Skill.code == "gis")).one()
    zwijndrecht = world.lead_b.municipality_id
    log_in(client, world.coordinator)
    text = client.get(f"/plans/{plan.id}?" + query.format(gis=gis, zwijndrecht=zwijndrecht),
                      headers=HTMX | {"HX-Target": "plan-grid"}).get_data(as_text=True)
    assert all(name in text for name in shown) and not any(name in text for name in hidden)


def test_the_grid_comes_a_page_at_a_time(client: FlaskClient, world: World, session: Session) -> None:
    plan = _published(session)
    session.add_all(Specialist(code=f"X{i:04d}", name=f"Z. Extra {i:04d}", kind="internal", pool_hours_per_week=8,
                               municipality_id=world.lead_a.municipality_id) for i in range(GRID_PAGE_SIZE))
    session.commit()
    log_in(client, world.coordinator)
    first = client.get(f"/plans/{plan.id}?name=Extra").get_data(as_text=True)
    assert "Z. Extra 0000" in first and f"Z. Extra {GRID_PAGE_SIZE - 1:04d}" in first
    everyone = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "pagina 1 van 2" in everyone and "Volgende pagina" in everyone and "A. de Vries" in everyone
    second = client.get(f"/plans/{plan.id}?page=2", headers=HTMX | {"HX-Target": "plan-grid"}).get_data(as_text=True)
    assert "pagina 2 van 2" in second and "Vorige pagina" in second and "A. de Vries" not in second
    assert second.count("<tr>") == 1 + 4 + GRID_PAGE_SIZE - GRID_PAGE_SIZE  # header row and the 4 left over


def test_a_request_in_a_plan_says_who_works_when_and_why_in_words(client: FlaskClient, world: World,
                                                                  session: Session) -> None:
    draft = _draft(session)
    log_in(client, world.coordinator)
    page = client.get(f"/plans/{draft.id}/requests/{world.request_b.id}").get_data(as_text=True)
    assert "Waarom deze specialist?" in page and "Gekozen omdat" in page
    assert "M. van den Berg (niveau 4 in GIS en geo-informatie, minstens 3 gevraagd) werkt 16 uur van de 16 uur" in page
    assert "S0002" not in re.sub(r"<[^>]*>", " ", page.split("<main")[1])  # names, not the planner's ids
    with client.session_transaction() as sess:
        sess["lang"] = "en"
    english = client.get(f"/plans/{draft.id}/requests/{world.request_b.id}").get_data(as_text=True)
    assert "Why this specialist?" in english and "works 16 hours of the 16 hours" in english


def test_the_reason_for_every_unmet_need_is_worded_from_the_facts_with_names(
    client: FlaskClient, world: World, session: Session
) -> None:
    for r in session.scalars(select(Request)):
        r.status = "approved"
    world.request_a.allow_partner = False
    world.spec_a.specialist.pool_hours_per_week = 4  # type: ignore[union-attr]  # A. de Vries: 4 h a week
    cobol = session.scalars(select(Skill).where(Skill.code == "cobol")).one()
    world.request_b.needs.append(Need(position=2, skill=cobol, min_level=5, hours=8))
    session.commit()
    draft = _draft(session)
    assert {(u.need.request.code, u.reason) for u in draft.unmet} == {
        (world.request_a.code, "capacity-taken"), (world.request_b.code, "no-eligible-specialist"),
        (world.request_b.code, "all-or-nothing-not-reachable")}  # R00002 is all-or-nothing: its other needs too
    log_in(client, world.coordinator)
    page = client.get(f"/plans/{draft.id}/requests/{world.request_a.id}").get_data(as_text=True)
    assert "De geschikte specialisten (A. de Vries) zijn van week 2, 2027 tot en met week 6, 2027 volgeboekt." in page
    page = client.get(f"/plans/{draft.id}/requests/{world.request_b.id}").get_data(as_text=True)
    assert "Niemand in de pool heeft COBOL op niveau 5 of hoger." in page
    assert "Deze aanvraag is alles-of-niets en kon van week 1, 2027 tot en met week 4, 2027 niet helemaal" in page
    assert "Toelichting van de planner" not in page  # worded from the facts, not the planner's English note
    log_in(client, world.lead_a)  # the plan's page is not for a team lead
    assert client.get(f"/plans/{draft.id}/requests/{world.request_a.id}").status_code == 403
    publish_plan(session, draft.id, reason="test")  # but its own request's page says the same, once published
    page = client.get(f"/requests/{world.request_a.id}").get_data(as_text=True)
    assert "De geschikte specialisten (A. de Vries) zijn van week 2, 2027 tot en met week 6, 2027 volgeboekt." in page
    assert "Toelichting van de planner" not in page


def test_compare_lists_the_figures_and_the_changes_by_request_and_by_specialist(
    client: FlaskClient, world: World, session: Session
) -> None:
    published, draft = _published(session), _draft(session)
    log_in(client, world.coordinator)
    default = client.get("/plans/compare")
    assert default.status_code == 302
    assert f"a={published.id}" in default.location and f"b={draft.id}" in default.location
    page = client.get(default.location).get_data(as_text=True)
    before = {(a.need_id, a.specialist_id, a.week): a.hours for a in published.assignments}
    after = {(a.need_id, a.specialist_id, a.week): a.hours for a in draft.assignments}
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    changed = sum(1 for k in before.keys() & after.keys() if before[k] != after[k])
    assert f"{added} inzetten erbij, {removed} eraf en {changed} met andere uren" in page
    assert "Per aanvraag" in page and "BIO zelfevaluatie" in page and "Per specialist" in page
    assert "A. de Vries" in page
    same = client.get(f"/plans/compare?a={draft.id}&b={draft.id}")
    assert same.status_code == 422 and "Kies twee verschillende plannen." in same.get_data(as_text=True)


def test_a_plan_downloads_as_the_pool_plan_document(client: FlaskClient, world: World, session: Session) -> None:
    draft = _draft(session)
    log_in(client, world.coordinator)
    response = client.get(f"/plans/{draft.id}.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.get_json()
    validate_plan(doc, export_instance(session))
    assert doc == json.loads(json.dumps(export_plan(session, draft.id)))
    assert doc["assignments"]


def test_the_situation_downloads_as_the_same_document_as_pool_export(client: FlaskClient, world: World,
                                                                     session: Session) -> None:
    log_in(client, world.coordinator)
    response = client.get("/situation.json")
    doc = response.get_json()
    validate_instance(doc)
    assert doc == json.loads(json.dumps(export_instance(session)))
    assert {r["id"] for r in doc["requests"]} >= {world.request_a.code}


def _upload(client: FlaskClient, content: bytes) -> tuple[int, str]:
    response = client.post("/situation/upload", data={"document": (io.BytesIO(content), "situation.json")},
                           content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def test_an_uploaded_situation_with_errors_lists_each_with_its_json_path_and_writes_nothing(
    client: FlaskClient, world: World, session: Session
) -> None:
    log_in(client, world.coordinator)
    doc = export_instance(session)
    doc["requests"][0]["needs"][0]["skill"] = "cobol-85"
    doc["specialists"][1]["home"] = "GM9999"
    doc["requests"][0]["title"] = "Changed title"
    count = session.scalar(select(func.count()).select_from(Request))
    status, page = _upload(client, json.dumps(doc).encode())
    assert status == 422
    assert "$.requests[0].needs[0].skill" in page and "cobol-85" in page
    assert "$.specialists[1].home" in page and "GM9999" in page
    assert "Het bestand heeft 2 problemen; er is niets ingelezen." in page
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Request)) == count
    assert "Changed title" not in {r.title for r in session.scalars(select(Request))}


def test_an_upload_that_is_not_json_says_where(client: FlaskClient, world: World) -> None:
    log_in(client, world.coordinator)
    status, page = _upload(client, b'{"format": "pool-instance/1",\n "horizon": }')
    assert status == 422 and "Het bestand is geen JSON" in page and "regel 2" in page
    status, page = _upload(client, b"")
    assert status == 422


def test_an_upload_without_a_file_is_refused_on_the_form(client: FlaskClient, world: World) -> None:
    log_in(client, world.coordinator)
    response = client.post("/situation/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Kies een bestand om te uploaden." in response.get_data(as_text=True)


def test_a_valid_upload_is_imported(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    doc = export_instance(session)
    doc["requests"][0]["title"] = "Changed title"
    status, _page = _upload(client, json.dumps(doc).encode())
    assert status == 303
    session.expire_all()
    assert session.scalars(select(Request).where(Request.code == doc["requests"][0]["id"])).one().title == \
        "Changed title"


def test_the_request_list_comes_a_page_at_a_time_and_keeps_its_filter(client: FlaskClient, world: World,
                                                                      session: Session) -> None:
    first = world.request_a
    session.add_all(
        Request(code=f"R9{i:04d}", municipality_id=first.municipality_id, title=f"Bulk {i}",
                first_week=first.first_week, last_week=first.last_week, max_hours_per_week=8, status="submitted")
        for i in range(120)
    )
    session.commit()
    log_in(client, world.coordinator)
    page = client.get("/requests/").get_data(as_text=True)
    assert "pagina 1 van 2" in page and page.count("<tr>") == 1 + 100
    second = client.get("/requests/?q=Bulk&page=2", headers=HTMX | {"HX-Target": "request-list"})
    text = second.get_data(as_text=True)
    assert "<html" not in text and "pagina 2 van 2" in text and text.count("<tr>") == 1 + 20
    assert "q=Bulk" in text.split("Vorige pagina")[0].rsplit("<a", 1)[1]  # the pager keeps the filter


def test_the_specialist_list_comes_a_page_at_a_time(client: FlaskClient, world: World, session: Session) -> None:
    session.add_all(Specialist(code=f"X{i:04d}", name=f"Extra {i}", kind="internal", pool_hours_per_week=8,
                               municipality_id=world.lead_a.municipality_id) for i in range(101))
    session.commit()
    log_in(client, world.coordinator)
    page = client.get("/pool/specialists/").get_data(as_text=True)
    assert "pagina 1 van 2" in page and page.count("<tr>") == 1 + 100
    last = client.get("/pool/specialists/?page=2", headers=HTMX | {"HX-Target": "specialist-list"})
    assert last.get_data(as_text=True).count("<tr>") == 1 + 101 + 4 - 100
