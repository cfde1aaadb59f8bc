"""Issue 11 in a real browser: every mistake answered on its form, next to its field, in Dutch and in English.

Items reproduced: a window outside the horizon (1), dead-end error pages (2), mixed-language validation (3),
the week field and its hint (6), requests and leave that cannot be planned (7), leave that clashes with the
published plan (8).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pool.db import make_engine, make_session_factory
from pool.models import Assignment, Cooperation, Plan, Specialist, Unavailability, User
from tests.e2e.conftest import Visitor

pytestmark = pytest.mark.e2e


@dataclass
class Demo:
    start: dt.date
    weeks: int


@dataclass
class Planned:
    username: str
    week: dt.date
    pool_hours: int


def _demo(database_url: str) -> Demo:
    engine = make_engine(database_url)
    with make_session_factory(engine)() as s:
        coop = s.scalars(select(Cooperation)).one()
        demo = Demo(coop.horizon_start, coop.horizon_weeks)
    engine.dispose()
    return demo


def _planned_specialist(database_url: str) -> Planned:
    """A specialist with an account who works in a week of the published plan and has no leave in it."""
    engine = make_engine(database_url)
    with make_session_factory(engine)() as s:
        plan = s.scalars(select(Plan).where(Plan.status == "published")).one()
        rows = s.execute(
            select(User.username, Assignment.week, Specialist.pool_hours_per_week, Specialist.id)
            .join(Specialist, Specialist.id == User.specialist_id)
            .join(Assignment, Assignment.specialist_id == Specialist.id)
            .where(Assignment.plan_id == plan.id, User.username != "s0001")
            .order_by(Specialist.id.desc(), Assignment.week)).all()
        for username, week, pool_hours, specialist_id in rows:
            away = s.scalars(select(Unavailability).where(
                Unavailability.specialist_id == specialist_id, Unavailability.start_date <= week + dt.timedelta(6),
                Unavailability.end_date >= week)).first()
            if away is None:
                found = Planned(username, week, pool_hours)
                break
        else:
            raise AssertionError("the demo has no specialist account with a week of work and no leave")
    engine.dispose()
    return found


def _week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _type_week(page: Page, selector: str, day: dt.date) -> None:
    """Type a week the way the hint says: week number first, then the year, into Chromium's week control."""
    iso = day.isocalendar()
    page.focus(selector)  # the control's first part: the week number
    page.keyboard.type(f"{iso.week:02d}{iso.year}")


def _error(page: Page, field: str) -> str:
    return page.locator(f"#{field}-error").inner_text()


def _language(visitor: Visitor, lang: str) -> None:
    """Switch the language; it is remembered for the account, so every test that switches switches back."""
    visitor.page.click(f"button[lang={lang}]")
    visitor.page.wait_for_load_state("load")


def _english(visitor: Visitor) -> None:
    _language(visitor, "en")


def _request_form(page: Page, demo: Demo, title: str) -> None:
    page.fill("#title", title)
    _type_week(page, "#first_week", demo.start + dt.timedelta(weeks=2))
    _type_week(page, "#last_week", demo.start + dt.timedelta(weeks=3))
    page.fill("#max_hours_per_week", "4")
    page.select_option("#needs-0-skill_id", index=1)
    page.fill("#needs-0-hours", "8")


def test_the_week_hint_matches_chromiums_week_control_and_weeks_outside_the_horizon_are_refused(
    visitor: Visitor, demo_database: str
) -> None:
    demo = _demo(demo_database)
    visitor.log_in("tl-gm0505", "teamlead-demo")
    page = visitor.go("/requests/new")
    hint = page.locator("#first_week-hint").inner_text()
    assert hint.startswith("Eerst het weeknummer, dan het jaar")
    first = demo.start + dt.timedelta(weeks=2)
    _type_week(page, "#first_week", first)
    assert page.input_value("#first_week") == _week(first)  # typed as the hint says, read as meant
    assert page.get_attribute("#first_week", "min") == _week(demo.start)

    _request_form(page, demo, "Buiten de planperiode (e2e)")
    _type_week(page, "#first_week", dt.date(2020, 1, 6))  # 2020-W02, years before the horizon
    page.click("button[value=submit]")
    page.wait_for_load_state("load")
    visitor.check()
    assert _error(page, "first_week").startswith("De periode moet binnen de planperiode liggen")
    assert page.input_value("#title") == "Buiten de planperiode (e2e)"  # what was typed is kept
    assert page.input_value("#needs-0-hours") == "8"

    page.fill("#first_week", _week(demo.start + dt.timedelta(weeks=2)))
    page.fill("#needs-0-hours", "400")  # 400 hours in 2 weeks at 4 hours a week
    page.click("button[value=submit]")
    page.wait_for_load_state("load")
    visitor.check()
    assert _error(page, "max_hours_per_week").startswith("400 uur past niet in 2 weken van hoogstens 4 uur per week")

    page.fill("#needs-0-hours", "0")
    page.click("button[value=submit]")
    page.wait_for_load_state("load")
    visitor.check()
    assert _error(page, "needs-0-hours") == "Getal moet tussen 1 en 5000 liggen."  # one message, in Dutch
    assert "Number must" not in page.content() and "Nummer" not in page.content()

    _english(visitor)
    page = visitor.go("/requests/new")
    _request_form(page, demo, "Outside the horizon (e2e)")
    page.fill("#last_week", "2031-W02")
    page.click("button[value=submit]")
    page.wait_for_load_state("load")
    visitor.check()
    assert _error(page, "last_week").startswith("The window lies within the planning horizon")
    page.fill("#last_week", _week(demo.start + dt.timedelta(weeks=3)))
    page.fill("#needs-0-hours", "400")
    page.click("button[value=submit]")
    page.wait_for_load_state("load")
    assert _error(page, "max_hours_per_week").startswith("400 hours do not fit in 2 weeks at most 4 hours a week")
    page.fill("#needs-0-hours", "0")
    page.click("button[value=submit]")
    page.wait_for_load_state("load")
    assert _error(page, "needs-0-hours") == "Number must be between 1 and 5000."
    _language(visitor, "nl")


def test_a_week_outside_the_horizon_is_refused_as_the_team_lead_leaves_the_field(
    visitor: Visitor, demo_database: str
) -> None:
    visitor.log_in("tl-gm0505", "teamlead-demo")
    page = visitor.go("/requests/new")
    _type_week(page, "#first_week", dt.date(2031, 1, 6))
    page.focus("#title")  # leave the field: htmx checks it
    expect(page.locator("#first_week-error")).to_contain_text("De periode moet binnen de planperiode liggen")
    visitor.check()


def _coordinator(make_visitor: Any) -> Visitor:
    coordinator: Visitor = make_visitor()
    coordinator.log_in("coordinator", "coordinator-demo")
    return coordinator


def test_the_coordinators_refusals_appear_on_their_forms_with_everything_typed_kept(
    make_visitor: Any, demo_database: str
) -> None:
    coordinator = _coordinator(make_visitor)
    page = coordinator.go("/pool/users/new")
    page.fill("#username", "tl-zonder-gemeente")
    page.fill("#name", "Teamleider zonder gemeente")
    page.select_option("#role", "team_lead")
    page.fill("#password", "een lang en sterk wachtwoord")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    coordinator.check()
    assert _error(page, "municipality_id") == "Een teamleider hoort bij een gemeente: kies de gemeente."
    assert page.input_value("#username") == "tl-zonder-gemeente"
    assert page.input_value("#name") == "Teamleider zonder gemeente"

    page = coordinator.go("/pool/partner/")
    page.fill("#valid_from", "2027-06-01")
    page.fill("#valid_to", "2027-01-01")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    coordinator.check()
    assert _error(page, "valid_to").startswith("Het contract eindigt voordat het begint")
    assert page.input_value("#valid_to") == "2027-01-01"

    page = coordinator.go("/pool/specialists/new")
    page.fill("#name", "Specialist zonder code (e2e)")
    page.fill("#pool_hours_per_week", "8")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/pool/specialists/\d+$"))
    coordinator.check()
    assert "Specialist zonder code (e2e)" in page.content()

    page = coordinator.go("/pool/users/?q=coordinator")
    page.click("#user-rows a:text-is('coordinator')")
    page.wait_for_load_state("load")
    page.uncheck("#active")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    coordinator.check()
    assert _error(page, "active") == "U kunt uw eigen account niet uitzetten en uw eigen rol niet wijzigen."

    _english(coordinator)
    page = coordinator.go("/pool/users/new")
    page.fill("#username", "tl-no-municipality")
    page.fill("#name", "Team lead without a municipality")
    page.select_option("#role", "team_lead")
    page.fill("#password", "a long and strong password")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    coordinator.check()
    assert _error(page, "municipality_id") == "A team lead belongs to a municipality."
    assert page.input_value("#username") == "tl-no-municipality"
    _language(coordinator, "nl")


def test_rejecting_a_skill_change_without_a_reason_is_answered_next_to_the_reason(
    make_visitor: Any, demo_database: str
) -> None:
    specialist: Visitor = make_visitor()
    specialist.log_in("s0002", "specialist-demo")
    page = specialist.go("/me/skills")
    for level in ("5", "4"):  # one of the two differs from the level held now
        page.select_option("#skill_id", index=0)
        page.select_option("#level", level)
        page.click("#propose ~ form button[type=submit]")
        page.wait_for_load_state("load")
        specialist.check()
        if page.locator("#level-error").count() == 0:
            break

    coordinator = _coordinator(make_visitor)
    page = coordinator.go("/pool/skill-changes/")
    card = page.locator("section.card").first
    card.locator("button[value=reject]").click()
    page.wait_for_load_state("load")
    coordinator.check()
    error = page.locator("p.error[id^=reason-]")
    expect(error).to_have_text("Zeg waarom de wijziging wordt afgewezen.")
    _english(coordinator)
    page = coordinator.go("/pool/skill-changes/")
    page.locator("section.card").first.locator("button[value=reject]").click()
    page.wait_for_load_state("load")
    expect(page.locator("p.error[id^=reason-]")).to_have_text("Say why the change is rejected.")
    _language(coordinator, "nl")


def _record_leave(specialist: Visitor, start: dt.date, days: int, hours: str, note: str) -> Page:
    """Fill in and send the leave form; return the page that answers (checked by axe-core)."""
    page = specialist.go("/me/leave")
    page.fill("#start_date", str(start))
    page.fill("#end_date", str(start + dt.timedelta(days=days)))
    page.fill("#hours_per_week", hours)
    page.fill("#note", note)
    page.click("main form.narrow button[type=submit]")
    page.wait_for_load_state("load")
    specialist.check()
    return page


def test_leave_beyond_the_pool_hours_is_refused_and_leave_against_the_plan_is_shown_to_both(
    make_visitor: Any, demo_database: str
) -> None:
    planned = _planned_specialist(demo_database)
    specialist: Visitor = make_visitor()
    specialist.log_in(planned.username, "specialist-demo")
    page = _record_leave(specialist, planned.week, 4, "100", "Te veel uren (e2e)")
    assert _error(page, "hours_per_week") == (f"Verlof telt de pooluren die u weg bent: hoogstens uw "
                                              f"{planned.pool_hours} pooluren per week.")
    assert page.input_value("#note") == "Te veel uren (e2e)"

    page = _record_leave(specialist, planned.week, 4, str(planned.pool_hours), "Week vrij (e2e)")
    assert "Volgens het gepubliceerde plan werkt u in" in page.locator(".flash-warning").inner_text()
    assert page.locator("#leave-clashes").is_visible()

    page = _record_leave(specialist, planned.week + dt.timedelta(days=2), 7, "1", "Overlap (e2e)")
    assert _error(page, "start_date").startswith("Deze periode overlapt met uw verlof van")
    _english(specialist)
    page = _record_leave(specialist, planned.week, 4, "100", "Too many hours (e2e)")
    assert _error(page, "hours_per_week") == (f"Leave counts the pool hours you are away, at most your "
                                              f"{planned.pool_hours} pool hours a week.")
    _language(specialist, "nl")

    coordinator = _coordinator(make_visitor)
    page = coordinator.go("/dashboard")
    clashes = page.locator("#leave-clashes")
    expect(clashes).to_contain_text("Opnieuw plannen is nodig: verlof botst met het gepubliceerde plan")
    coordinator.go("/plans/runs")
    expect(coordinator.page.locator("#leave-clashes")).to_be_visible()
    page = coordinator.go("/notifications/")
    assert "heeft verlof vastgelegd in weken waarin het gepubliceerde plan" in page.content()
