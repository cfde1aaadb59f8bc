"""The bell: a person's in-app notifications, with the unread count on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, g, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from pool.models import Notification
from pool.services import notifications
from pool.services.notification_texts import said
from web import db
from web.auth import current_user, roles
from web.i18n import iso_week

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
    if n.kind == "outside-horizon":
        return (_("Request %(code)s (%(title)s) now lies outside the planning horizon (%(first)s to %(last)s): no "
                  "plan can include its weeks. Change its weeks or cancel it.", code=n.facts.get("request"),
                  title=n.facts.get("title"), first=_week_of(n.facts.get("first")), last=_week_of(n.facts.get("last"))),
                n.link or url_for("requests.index"))
    if n.kind == "leave-clash":
        weeks = ", ".join(_week_of(w) for w in n.facts.get("weeks", []))
        return (_("%(name)s recorded leave in weeks the published plan has them working (%(weeks)s): plan again.",
                  name=n.facts.get("name"), weeks=weeks), url_for("home.dashboard"))
    return said(n.kind, n.facts, str(get_locale())).sentence, url_for(LINKS.get(n.kind, "home.index"))


def _week_of(day: object) -> str:
    try:
        return iso_week(dt.date.fromisoformat(str(day)))
    except ValueError:
        return str(day)


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
