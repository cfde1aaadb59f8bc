"""The bell: a person's in-app notifications, with the unread count on every page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template, url_for
from flask_babel import get_locale

from pool.models import Notification
from pool.services import notifications
from pool.services.notification_texts import said
from web import db
from web.auth import current_user, roles

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def _bell() -> dict[str, Any]:
    user = g.get("user")
    return {"unread_notifications": notifications.unread_count(db.session(), user) if user is not None else 0}


LINKS = {"assignments-changed": "me.assignments", "requests-changed": "requests.index",
         "digest_specialist": "me.assignments", "digest_team_lead": "requests.index",
         "window_reminder": "requests.index"}


def words(n: Notification) -> tuple[str, str]:
    """A notification's sentence in the reader's language, and where it leads."""
    return said(n.kind, n.facts, str(get_locale())).sentence, url_for(LINKS.get(n.kind, "home.index"))


@bp.route("/")
@roles("team_lead", "specialist", "coordinator")
def index() -> Any:
    """List the user's notifications, newest first; opening the list marks them read."""
    s = db.session()
    user = current_user()
    shown = [(n, *words(n)) for n in notifications.recent(s, user)]
    page = render_template("notifications/index.html", shown=shown)
    notifications.mark_all_read(s, user)
    return page
