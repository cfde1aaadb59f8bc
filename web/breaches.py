"""The validator's breaches said in the reader's language, with names instead of codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from pool.weeks import week_start
from solver import Violation
from web.i18n import iso_week


class Names:
    """Turns the documents' ids into what a person reads: names, titles, ISO weeks."""

    def __init__(self, horizon_start: dt.date, specialists: dict[str, str], requests: dict[str, str]) -> None:
        self.horizon_start, self.specialists, self.requests = horizon_start, specialists, requests

    def specialist(self, code: Any) -> str:
        return self.specialists.get(str(code), str(code))

    def request(self, code: Any) -> str:
        title = self.requests.get(str(code))
        return f"{title} ({code})" if title else str(code)

    def week(self, index: Any) -> str:
        return iso_week(week_start(self.horizon_start, int(index)))


_SAY: dict[str, Callable[[dict[str, Any], Names], str]] = {
    "capacity": lambda f, n: _(
        "%(specialist)s has %(limit)s pool hours in %(week)s (after leave and home duties); this would make %(hours)s.",
        specialist=n.specialist(f["specialist"]), limit=f["limit"], week=n.week(f["week"]), hours=f["hours"]),
    "weekly-maximum": lambda f, n: _(
        "Request %(request)s may have at most %(limit)s hours in %(week)s; this would make %(hours)s.",
        request=n.request(f["request"]), limit=f["limit"], week=n.week(f["week"]), hours=f["hours"]),
    "need-hours": lambda f, n: _(
        "Request %(request)s asks %(limit)s hours for this skill; this would plan %(hours)s.",
        request=n.request(f["request"]), limit=f["limit"], hours=f["hours"]),
    "skill-level": lambda f, n: _(
        "%(specialist)s has level %(level)s in this skill; the request asks at least level %(min)s.",
        specialist=n.specialist(f["specialist"]), level=f["level"], min=f["min_level"]),
    "window": lambda f, n: _(
        "%(week)s lies outside the window of request %(request)s (%(first)s to %(last)s).",
        week=n.week(f["week"]), request=n.request(f["request"]), first=n.week(f["start_week"]),
        last=n.week(f["end_week"])),
    "partner-contract": lambda f, n: _("There is no contract with the knowledge partner."),
    "partner-notice": lambda f, n: _(
        "The knowledge partner needs %(weeks)s weeks' notice; %(week)s is too early.",
        weeks=f["notice_weeks"], week=n.week(f["week"])),
    "partner-not-allowed": lambda f, n: _(
        "Request %(request)s does not allow the knowledge partner.", request=n.request(f["request"])),
    "partner-budget": lambda f, n: _(
        "The knowledge partner's budget is %(limit)s hours; this would plan %(hours)s.",
        limit=f["limit"], hours=f["hours"]),
    "all-or-nothing": lambda f, n: _(
        "Request %(request)s is all-or-nothing: it gets all %(hours)s hours or none, and this would leave it "
        "with %(got)s.", request=n.request(f["request"]), hours=f["hours"], got=f["got"]),
    "pinned-changed": lambda f, n: _(
        "The pinned hours of %(specialist)s on request %(request)s in %(week)s would change; unpin them first.",
        specialist=n.specialist(f["specialist"]), request=n.request(f["request"]), week=n.week(f["week"])),
    "frozen-changed": lambda f, n: _(
        "%(week)s is frozen: the hours of %(specialist)s on request %(request)s stay as published.",
        week=n.week(f["week"]), specialist=n.specialist(f["specialist"]), request=n.request(f["request"])),
    "frozen-new": lambda f, n: _(
        "%(week)s is frozen: no new assignments there.", week=n.week(f["week"])),
    "duplicate": lambda f, n: _("This assignment is listed twice."),
    "hours": lambda f, n: _("Hours must be a whole number of at least 1."),
}

RULE_NAME = {
    "capacity": lambda: _("Capacity of the specialist"), "weekly-maximum": lambda: _("Weekly maximum of the request"),
    "need-hours": lambda: _("Hours asked"), "skill-level": lambda: _("Skill level"), "window": lambda: _("Window"),
    "partner-contract": lambda: _("Partner contract"), "partner-notice": lambda: _("Partner's notice period"),
    "partner-not-allowed": lambda: _("Partner allowed"), "partner-budget": lambda: _("Partner budget"),
    "all-or-nothing": lambda: _("All or nothing"), "pinned-changed": lambda: _("Pinned assignments"),
    "frozen-changed": lambda: _("Frozen weeks"), "frozen-new": lambda: _("Frozen weeks"),
    "duplicate": lambda: _("Listed once"), "hours": lambda: _("Whole hours"),
}


def say(violation: Violation, names: Names) -> str:
    """One breach as a sentence; the English text of the validator where the rule has no words yet."""
    words = _SAY.get(violation.rule)
    return words(violation.facts, names) if words else violation.text


def rule_name(rule: str) -> str:
    name = RULE_NAME.get(rule)
    return name() if name else rule
