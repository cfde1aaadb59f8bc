"""The coordinator approves or rejects the skill levels specialists propose."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _

from pool.services import specialists
from web import db
from web.auth import current_user, roles
from web.forms.requests import DecisionForm
from web.htmx import go
from web.refusals import on_form

bp = Blueprint("skill_changes", __name__, url_prefix="/pool/skill-changes")


@bp.route("/")
@roles("coordinator")
def index() -> Any:
    """List the pending skill-level changes."""
    return render_template("skill_changes/index.html", changes=specialists.pending_changes(db.session()),
                           form=DecisionForm())


@bp.route("/<int:change_id>", methods=["POST"])
@roles("coordinator")
def decide(change_id: int) -> Any:
    """Approve (the level takes effect) or reject a change, with a reason."""
    form = DecisionForm()
    decision = request.form.get("decision")
    if not form.validate() or decision not in ("approve", "reject"):
        abort(400)
    with on_form(form) as refused:
        change = specialists.decide_skill_change(db.session(), current_user(), change_id, decision == "approve",
                                                 form.reason.data or "")
    if refused:
        return render_template("skill_changes/index.html", changes=specialists.pending_changes(db.session()),
                               form=form, failed=change_id), refused.status
    flash(_("The change is approved.") if change.status == "approved" else _("The change is rejected."), "success")
    return go(url_for("skill_changes.index"))
