"""The start page of each role, and choosing the language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, request, session, url_for

from pool.services import accounts, leave, requests, specialists
from web import db
from web.auth import _safe_next, roles

bp = Blueprint("home", __name__)


@bp.route("/")
def index() -> Any:
    """Send each role to where its work is."""
    if g.user is None:
        return redirect(url_for("auth.login"))
    if g.user.role == "specialist":
        return redirect(url_for("me.assignments"))
    if g.user.role == "team_lead":
        return redirect(url_for("requests.index"))
    return redirect(url_for("home.dashboard"))


@bp.route("/dashboard")
@roles("coordinator")
def dashboard() -> Any:
    """Show the coordinator what waits for a decision."""
    s = db.session()
    return render_template("home/dashboard.html", submitted=requests.count_with_status(s, "submitted"),
                           pending=specialists.count_pending_changes(s),
                           clashes=leave.by_specialist(leave.plan_clashes(s)))


@bp.route("/language", methods=["POST"])
def language() -> Any:
    """Switch the language of the application (and remember it for a logged-in user)."""
    lang = request.form.get("lang", "")
    if lang in accounts.LOCALES:
        session["lang"] = lang
        if g.user is not None:
            accounts.set_locale(db.session(), g.user, lang)
    return redirect(_safe_next(request.form.get("next")) or url_for("home.index"), code=303)
