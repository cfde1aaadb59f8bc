"""The personal iCalendar feed, reached with its secret token instead of a log-in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, url_for

from pool.services.calendar import feed as calendar_feed
from web import db

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def feed_url(token: str) -> str:
    """Return the feed's address: on POOL_BASE_URL when it is set, never on a Host header a client sent."""
    base = current_app.config["BASE_URL"]
    if base:
        return base + url_for("calendar.feed", token=token)
    return url_for("calendar.feed", token=token, _external=True)


def _domain() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "pool.local"


@bp.route("/<token>.ics")
def feed(token: str) -> Any:
    """Return a specialist's assignments as iCalendar."""
    body = calendar_feed(db.session(), token, domain=_domain())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="pool.ics"', "Cache-Control": "private, no-cache",
    })
