"""Week arithmetic: the planner counts weeks from a Monday, people read ISO weeks."""

from __future__ import annotations

import datetime as dt


def monday(day: dt.date) -> dt.date:
    """Return the Monday of the week that holds day."""
    return day - dt.timedelta(days=day.weekday())


def week_start(horizon_start: dt.date, week: int) -> dt.date:
    """Return the Monday of week number `week` of a horizon."""
    return horizon_start + dt.timedelta(weeks=week)


def week_index(horizon_start: dt.date, day: dt.date) -> int:
    """Return the horizon week number that holds day (may be negative or past the end)."""
    return (monday(day) - horizon_start).days // 7


def iso_week_value(day: dt.date) -> str:
    """Return the ISO week that holds day the way an <input type=week> and the documents write it: 2027-W03."""
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def coming_monday(day: dt.date) -> dt.date:
    """Return day itself when it is a Monday, else the Monday after it."""
    return monday(day + dt.timedelta(days=6))
