"""The journeys of part 1 in a real browser: request, approval, leave, calendar feed, language."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pool.db import make_engine, make_session_factory
from pool.models import Cooperation
from tests.e2e.conftest import Visitor

pytestmark = pytest.mark.e2e


def _horizon(database_url: str) -> dt.date:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as s:
        start = s.scalars(select(Cooperation)).one().horizon_start
    engine.dispose()
    return start


def _week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def test_a_team_lead_writes_and_submits_a_request_and_the_coordinator_approves_it(
    make_visitor: Any, demo_database: str
) -> None:
    start = _horizon(demo_database)
    lead: Visitor = make_visitor()
    lead.log_in("tl-gm0505", "teamlead-demo")
    lead.check()  # the list of our requests
    page = lead.go("/requests/new")
    page.fill("#title", "Migratie zaaksysteem (e2e)")
    page.fill("#first_week", _week(start + dt.timedelta(weeks=4)))
    page.fill("#last_week", _week(start + dt.timedelta(weeks=9)))
    page.fill("#max_hours_per_week", "16")
    page.select_option("#priority", "2")
    page.select_option("#needs-0-skill_id", index=1)
    page.select_option("#needs-0-min_level", "3")
    page.fill("#needs-0-hours", "40")
    page.click("#add-need")  # htmx adds a row without leaving the page
    page.wait_for_selector("#needs-1-skill_id")
    lead.check()
    page.click("button[value=submit]")
    page.wait_for_url(re.compile(r"/requests/\d+$"))
    lead.check()
    assert "Migratie zaaksysteem (e2e)" in page.content()
    assert page.locator(".status").first.inner_text() == "ingediend"
    request_path = page.url.removeprefix(lead.base_url)

    coordinator: Visitor = make_visitor()
    coordinator.log_in("coordinator", "coordinator-demo")
    coordinator.check()  # overview
    page = coordinator.go("/requests/?status=submitted")
    page.fill("#q", "e2e")  # the list filters as you type
    expect(page.locator("#request-rows tr")).to_have_count(1)
    coordinator.check()
    page.click("#request-rows a")
    page.wait_for_url(re.compile(re.escape(request_path) + "$"))
    coordinator.check()
    page.fill("#reason", "Past binnen de afspraken.")
    page.click("button:has-text('Goedkeuren')")
    page.wait_for_load_state("load")
    coordinator.check()
    assert page.locator(".status").first.inner_text() == "goedgekeurd"

    page = lead.go(request_path)
    assert page.locator(".status").first.inner_text() == "goedgekeurd"
    assert "Past binnen de afspraken." in page.content()


def test_a_specialist_records_leave_and_fetches_its_calendar_feed(visitor: Visitor, demo_database: str) -> None:
    start = _horizon(demo_database)
    visitor.log_in("s0001", "specialist-demo")
    visitor.check()  # my assignments
    page = visitor.go("/me/leave")
    page.select_option("#kind", "leave")
    page.fill("#start_date", str(start + dt.timedelta(weeks=6)))
    page.fill("#end_date", str(start + dt.timedelta(weeks=7, days=4)))
    page.fill("#hours_per_week", "8")
    page.fill("#note", "Zomervakantie")
    page.click("main form.narrow button[type=submit]")
    page.wait_for_selector("text=Zomervakantie")
    visitor.check()

    visitor.go("/me/skills")
    page = visitor.go("/me/calendar")
    page.click("main button[type=submit]")
    page.wait_for_selector("#feed-url")
    visitor.check()
    feed = page.input_value("#feed-url")
    assert "/calendar/" in feed and feed.endswith(".ics")
    response = page.request.get(feed)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text()
    assert body.startswith("BEGIN:VCALENDAR") and "END:VCALENDAR" in body

    page.click("button.danger")  # switch off, after hx-confirm
    page.wait_for_selector("#feed-url", state="detached")
    visitor.check()
    assert page.request.get(feed).status == 404


def test_switching_to_english_works_before_and_after_logging_in(visitor: Visitor) -> None:
    page = visitor.go("/login")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Inloggen"
    page.click("button[lang=en]")
    page.wait_for_load_state("load")
    visitor.check()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Log in"
    visitor.log_in("coordinator", "coordinator-demo")
    page = visitor.go("/pool/skills/")
    assert page.locator("h1").inner_text() == "Skill catalogue"
    first = page.locator("#skill-rows tr").first
    first.locator("a").click()  # inline edit: the row turns into a form
    first_id = first.get_attribute("id")
    page.wait_for_selector(f"#{first_id} input[name=name]")
    visitor.check()
    page.fill(f"#{first_id} input[name=name]", "Renamed in e2e")
    page.click(f"#{first_id} button[type=submit]")
    page.wait_for_selector(f"#{first_id}:has-text('Renamed in e2e')")
    visitor.check()
    page.click("button[lang=nl]")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Vaardighedencatalogus"
