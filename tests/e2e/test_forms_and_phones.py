"""Issue 11 in a real browser: Enter saves a request, a skill is added at a level and removed on its own, long
titles wrap and a too-long one is refused, and the main pages reflow without serious axe findings at 390 px."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from pool.db import make_engine, make_session_factory
from pool.models import Cooperation, Request
from pool.weeks import iso_week_value
from tests.e2e.conftest import Visitor

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _horizon(database_url: str) -> dt.date:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as s:
        start = s.scalars(select(Cooperation)).one().horizon_start
    engine.dispose()
    return start


def _one_submitted(database_url: str) -> int:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as s:
        request_id = s.scalars(select(Request.id).where(Request.status == "submitted").order_by(Request.id)).first()
    engine.dispose()
    assert request_id is not None
    return request_id


def _fill_request(page: Any, start: dt.date, title: str) -> None:
    page.fill("#title", title)
    page.fill("#first_week", iso_week_value(start + dt.timedelta(weeks=4)))
    page.fill("#last_week", iso_week_value(start + dt.timedelta(weeks=9)))
    page.fill("#max_hours_per_week", "16")
    page.select_option("#needs-0-skill_id", index=1)
    page.fill("#needs-0-hours", "40")


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide in a {width[1]} px window"


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Any]:
    """Make visitors with a 390 px wide screen, as on a phone."""
    contexts = []

    def make() -> Visitor:
        context = browser.new_context(viewport=PHONE)
        contexts.append(context)
        return Visitor(context.new_page(), base_url)

    yield make
    for c in contexts:
        c.close()


def test_enter_in_the_title_saves_the_request_instead_of_adding_a_skill_row(visitor: Visitor,
                                                                             demo_database: str) -> None:
    start = _horizon(demo_database)
    visitor.log_in("tl-gm0505", "teamlead-demo")
    page = visitor.go("/requests/new")
    _fill_request(page, start, "Enter bewaart (e2e)")
    page.focus("#title")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/\d+$"))
    visitor.check()
    assert "Enter bewaart (e2e)" in page.content()
    assert page.locator(".status").first.inner_text() == "concept"


def test_a_slow_check_of_a_field_does_not_put_back_what_was_typed_before(visitor: Visitor) -> None:
    """The answer to a field's check replaces the field; one about a value typed over since is dropped."""
    visitor.log_in("tl-gm0505", "teamlead-demo")
    page = visitor.go("/requests/new")
    held: list[Any] = []

    def hold(route: Any) -> None:  # the check's answer waits until it is released
        held.append(route)

    page.route("**/requests/validate?field=title", hold)
    page.fill("#title", "Eerste titel")
    page.press("#title", "Tab")  # leaving the field sends its check
    page.wait_for_timeout(300)
    assert len(held) == 1
    page.fill("#title", "Tweede titel")  # typed again while the check is under way
    with page.expect_response("**/requests/validate?field=title"):
        held[0].continue_()
    page.unroute("**/requests/validate?field=title")
    page.wait_for_timeout(300)  # time for a swap
    assert page.input_value("#title") == "Tweede titel"
    page.press("#title", "Tab")  # leaving it again checks the new value
    expect(page.locator("#title")).to_have_value("Tweede titel")
    visitor.check()


def test_the_coordinator_adds_a_skill_at_a_level_and_removes_it_with_its_own_button(visitor: Visitor) -> None:
    visitor.log_in("coordinator", "coordinator-demo")
    page = visitor.go("/pool/specialists/?q=S0001")
    page.click("#specialist-rows a")
    page.wait_for_selector("h2:has-text('Vaardigheid toevoegen')")
    visitor.check()
    levels = page.locator("#level option").all_inner_texts()
    assert levels == ["1", "2", "3", "4", "5"]  # no "verwijderen" to end up with by default
    skill = page.locator("#skill_id option").first.inner_text()
    page.select_option("#skill_id", label=skill)
    page.select_option("#level", "3")
    page.click("button:has-text('Vaardigheid toevoegen')")
    page.wait_for_selector(f"text={skill} is toegevoegd op niveau 3.")
    visitor.check()
    row = page.locator("tbody tr", has_text=skill)
    expect(row).to_have_count(1)
    assert row.locator("select").input_value() == "3"
    row.locator("button:has-text('Verwijderen')").click()  # hx-confirm, then htmx drops the row
    expect(page.locator("tbody tr", has_text=skill)).to_have_count(0)
    visitor.check()
    page.reload()
    expect(page.locator("tbody tr", has_text=skill)).to_have_count(0)


def test_a_long_title_wraps_and_a_too_long_one_is_refused_on_the_form(make_visitor: Any, phone: Any,
                                                                      demo_database: str) -> None:
    start = _horizon(demo_database)
    lead: Visitor = make_visitor()
    lead.log_in("tl-gm0505", "teamlead-demo")
    page = lead.go("/requests/new")
    assert "Hoogstens 300 tekens." in page.content()
    _fill_request(page, start, "x" * 5000)
    page.click("button[value=save]:not(.default-action)")
    page.wait_for_selector("#title-error")
    lead.check()
    assert "Een titel heeft hoogstens 300 tekens; deze heeft er 5000." in page.inner_text("#title-error")
    assert len(page.input_value("#title")) == 5000  # what was typed is kept, not cut
    page.fill("#title", "W" * 300)
    page.click("button[value=save]:not(.default-action)")
    page.wait_for_url(re.compile(r"/requests/\d+$"))
    lead.check()
    _no_sideways_scroll(page)
    request_path = page.url.removeprefix(lead.base_url)
    _no_sideways_scroll(lead.go("/requests/"))
    small: Visitor = phone()
    small.log_in("tl-gm0505", "teamlead-demo")
    for path in (request_path, "/requests/"):
        small.go(path)
        _no_sideways_scroll(small.page)


def test_the_main_pages_reflow_at_390_px_without_serious_axe_findings(phone: Any, demo_database: str) -> None:
    submitted = _one_submitted(demo_database)
    pages = {
        ("tl-gm0505", "teamlead-demo"): ["/requests/", "/requests/new", "/ledger"],
        ("s0001", "specialist-demo"): ["/me/", "/me/leave", "/me/skills", "/me/calendar"],
        ("coordinator", "coordinator-demo"): ["/requests/?status=submitted", f"/requests/{submitted}",
                                              "/pool/specialists/", "/pool/municipalities/"],
    }
    reflowing = {"/requests/", "/requests/new", "/me/", "/me/leave", "/me/skills", "/me/calendar",
                 "/requests/?status=submitted", f"/requests/{submitted}", "/pool/specialists/"}
    for (username, password), paths in pages.items():
        visitor: Visitor = phone()
        visitor.log_in(username, password)
        for path in paths:
            page = visitor.go(path)  # axe-core on each, at 390 px
            if path in reflowing:
                _no_sideways_scroll(page)
    assert len(visitor.checked) >= len(pages[("coordinator", "coordinator-demo")])


def test_going_back_to_the_new_request_form_and_typing_breaks_no_csp_rule(visitor: Visitor) -> None:
    visitor.log_in("tl-gm0505", "teamlead-demo")
    page = visitor.go("/requests/new")
    page.fill("#title", "Eerst")
    visitor.go("/requests/")
    page.go_back()
    page.wait_for_selector("#title")
    page.fill("#title", "Terug en verder typen")
    page.press("#title", "Tab")  # leaving the field validates it through htmx
    page.fill("#max_hours_per_week", "8")
    page.press("#max_hours_per_week", "Tab")
    page.wait_for_timeout(500)
    page.click("#add-need")
    page.wait_for_selector("#needs-1-skill_id")
    visitor.check()  # fails on any CSP violation the console reported since the page opened


def test_the_coordinator_follows_next_and_approves_two_ticked_requests_at_once(visitor: Visitor,
                                                                               demo_database: str) -> None:
    visitor.log_in("coordinator", "coordinator-demo")
    page = visitor.go(f"/requests/{_one_submitted(demo_database)}")
    assert page.locator("table.qualified").count() >= 1  # who is qualified, with free hours, per need
    assert "op een besluit (sinds" in page.content()
    page.click(".next-up a")
    page.wait_for_url(re.compile(r"/requests/\d+$"))
    visitor.check()
    page = visitor.go("/requests/?status=submitted")
    ticks = page.locator("#request-rows input[type=checkbox]")
    codes = [page.locator("#request-rows tr").nth(i).locator("a").inner_text() for i in range(2)]
    ticks.nth(0).check()
    ticks.nth(1).check()
    page.click("button:has-text('Aangevinkte aanvragen goedkeuren')")  # a real form post with its CSRF token
    page.wait_for_selector("text=2 aanvragen zijn goedgekeurd")
    visitor.check()
    for code in codes:
        assert code in page.inner_text("#messages")
        assert page.locator("#request-rows a", has_text=code).count() == 0  # no longer waiting
