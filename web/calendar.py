"""The personal iCalendar feed, reached with its secret token instead of a log-in."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from pool.services.calendar import feed as calendar_feed
from web import db

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.route("/<token>.ics")
def feed(token: str) -> Any:
    """Return a specialist's assignments as iCalendar."""
    body = calendar_feed(db.session(), token, domain=request.host.split(":")[0] or "pool.local")
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="pool.ics"', "Cache-Control": "private, no-cache",
    })
