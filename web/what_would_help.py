"""What would help most: extra capacity ranked by the weighted unmet demand it fills; each tried as a scenario."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for

from pool.services import scenarios
from pool.services.what_would_help import what_would_help
from web import db
from web.auth import current_user, roles
from web.htmx import go

bp = Blueprint("what_would_help", __name__)


@bp.route("/what-would-help")
@roles("coordinator")
def index() -> Any:
    """Rank training, extra pool hours and a bigger partner budget by the weighted fill they would add.

    The first visit after a change starts working the ranking out; the page says so and looks again shortly.
    """
    return render_template("what_would_help/index.html", helps=what_would_help(db.session(), wait=False))


@bp.route("/what-would-help/try", methods=["POST"])
@roles("coordinator")
def try_it() -> Any:
    """Make a scenario of one entry; planning it (the run job) confirms the estimate by re-solving."""
    s = db.session()
    form = request.form
    change = scenarios.Change(kind=form.get("kind", ""), specialist=form.get("specialist", ""),
                              skill=form.get("skill", ""), min_level=form.get("level", 1, type=int),
                              hours=form.get("hours", 0, type=int))
    scenario = scenarios.create_scenario(s, current_user(), form.get("name", "") or "What would help")
    scenarios.add_change(s, current_user(), scenario.id, change)
    return go(url_for("scenarios.show", scenario_id=scenario.id))
