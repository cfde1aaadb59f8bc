"""A specialist's assignments as an iCalendar feed: one all-week event per request per week."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from pool.services.accounts import user_for_calendar_token
from pool.services.specialists import assignments_of, own_specialist


def feed(session: Session, token: str, domain: str = "pool.local") -> bytes:
    """Return the iCalendar document behind a calendar token; an unknown or revoked token is NotFound."""
    user = user_for_calendar_token(session, token)
    specialist = own_specialist(session, user)
    cal = Calendar()
    cal.add("prodid", "-//Pool planner//pooled ICT expertise//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Pool: {specialist.name}")
    stamp = dt.datetime.now(dt.UTC)
    for row in assignments_of(session, specialist):
        iso = row.week.isocalendar()
        event = Event()
        event.add("uid", f"{specialist.code}-need{row.need_id}-{row.week:%Y%m%d}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.week)
        event.add("dtend", row.week + dt.timedelta(days=5))
        event.add("summary", f"{row.request_code} {row.request_title} ({row.hours} h)")
        event.add("description", f"{row.municipality}: {row.skill}, {row.hours} h in week {iso.week}, {iso.year}")
        event.add("categories", [row.municipality])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
