"""Languages: Dutch by default, English on request; dates, ISO weeks and numbers in the user's locale."""

from __future__ import annotations

import datetime as dt

from flask import Flask, g, session
from flask_babel import Babel, format_date, format_decimal, format_percent, get_locale, lazy_gettext
from flask_babel import gettext as _

from pool.models import PRIORITIES
from pool.services.accounts import LOCALES
from pool.weeks import iso_week_value, week_index

babel = Babel()

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

STATUS = {
    "draft": lazy_gettext("draft"), "submitted": lazy_gettext("submitted"), "approved": lazy_gettext("approved"),
    "rejected": lazy_gettext("rejected"), "planned": lazy_gettext("planned"), "done": lazy_gettext("done"),
    "cancelled": lazy_gettext("cancelled"), "pending": lazy_gettext("pending"),
    "withdrawn": lazy_gettext("withdrawn"),
}
PLAN_STATUS = {"draft": lazy_gettext("draft"), "published": lazy_gettext("published"),
               "superseded": lazy_gettext("superseded")}
METHOD = {"cp-sat": lazy_gettext("planner"), "greedy": lazy_gettext("greedy (priority first)")}
_PRIORITY_WORDS = {"critical": lazy_gettext("critical"), "high": lazy_gettext("high"), "normal": lazy_gettext("normal"),
                   "low": lazy_gettext("low")}
PRIORITY = {number: _PRIORITY_WORDS[name] for number, name in PRIORITIES.items()}
ROLE = {"team_lead": lazy_gettext("team lead"), "specialist": lazy_gettext("specialist"),
        "coordinator": lazy_gettext("coordinator")}
UNAVAILABILITY = {"leave": lazy_gettext("leave"), "home-duty": lazy_gettext("home duty")}
# The planner's reason codes, said in plain words; the planner's own sentence is shown beside it.
UNMET_REASON = {
    "no-eligible-specialist": lazy_gettext("Nobody in the pool has this skill at the level asked."),
    "window-too-short": lazy_gettext("The window is too short for the hours asked at this weekly maximum."),
    "no-hours-in-window": lazy_gettext(
        "The specialists who have this skill have no pool hours left in these weeks (leave, home duties, "
        "frozen weeks or the partner's notice period)."),
    "all-or-nothing-not-reachable": lazy_gettext(
        "The request is all-or-nothing and could not be planned completely."),
    "partner-budget-exhausted": lazy_gettext("The knowledge partner's budget of hours is used up."),
    "capacity-taken": lazy_gettext("The hours of the qualified specialists go to requests with a higher priority."),
    "weekly-maximum-reached": lazy_gettext("The request's maximum hours per week limit what can be planned."),
    "not-reached": lazy_gettext("The planner did not reach these hours within its time limit."),
}


def select_locale() -> str:
    """Pick the language: chosen in this session, else the user's own, else Dutch."""
    chosen = session.get("lang")
    if chosen in LOCALES:
        return str(chosen)
    user = g.get("user")
    if user is not None and user.locale in LOCALES:
        return str(user.locale)
    return "nl"


def iso_week(day: dt.date | None) -> str:
    """Say which ISO week a date lies in, the way Dutch planners count: "week 3, 2027"."""
    if day is None:
        return ""
    iso = day.isocalendar()
    return _("week %(week)s, %(year)s", week=iso.week, year=iso.year)


def percent(x: float) -> str:
    """Say a fraction as a percentage with one decimal: 83.5%."""
    return format_percent(x, "#,##0.0%")


def week_value(day: dt.date | None) -> str:
    """Return the value of an <input type=week> for a date: 2027-W03."""
    return iso_week_value(day) if day else ""


_NUMBERS: dict[tuple[str, int], str] = {}


def number(n: object, fmt: str | None = None) -> str:
    """Say a number the way the language writes it (1.234 in Dutch); a whole number is formatted once per
    language and kept, as large tables print thousands of them and Babel's formatting is slow."""
    if fmt is not None or not isinstance(n, int) or isinstance(n, bool):
        return str(format_decimal(n, fmt))
    key = (str(get_locale()), n)
    if key not in _NUMBERS:
        if len(_NUMBERS) > 100_000:
            _NUMBERS.clear()
        _NUMBERS[key] = str(format_decimal(n))
    return _NUMBERS[key]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        iso_week=iso_week,
        week_value=week_value,
        date=lambda d, fmt="medium": format_date(d, fmt) if d else "",
        number=number,
        percent=percent,
    )
    app.jinja_env.globals.update(
        STATUS=STATUS, PLAN_STATUS=PLAN_STATUS, METHOD=METHOD,
        PRIORITY=PRIORITY, ROLE=ROLE, UNAVAILABILITY=UNAVAILABILITY, UNMET_REASON=UNMET_REASON,
        LANGUAGE_NAMES=LANGUAGE_NAMES, LOCALES=LOCALES, get_locale=get_locale, today=dt.date.today,
        week_number=week_index,
    )
