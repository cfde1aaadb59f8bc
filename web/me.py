"""The specialist's own pages: assignments week by week, leave and home duties, skill profile, calendar feed."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _

from pool.models import UNAVAILABILITY_KINDS
from pool.services import accounts, pool_admin, specialists
from pool.services import leave as leave_rules
from web import db
from web.auth import current_user, roles
from web.calendar import feed_url
from web.forms import options
from web.forms.me import LeaveForm, LevelForm
from web.htmx import go
from web.i18n import UNAVAILABILITY, iso_week
from web.refusals import on_form

bp = Blueprint("me", __name__, url_prefix="/me")

LEVELS = [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]


def _me():  # type: ignore[no-untyped-def]
    return specialists.own_specialist(db.session(), current_user())


@bp.route("/")
@roles("specialist")
def assignments() -> Any:
    """Show my assignments in the published plan, week by week."""
    rows = specialists.assignments_of(db.session(), _me())
    weeks = [(week, list(items)) for week, items in groupby(rows, key=lambda r: r.week)]
    return render_template("me/assignments.html", weeks=weeks, specialist=_me())


def _leave_form() -> LeaveForm:
    form = LeaveForm()
    form.kind.choices = options([(k, str(UNAVAILABILITY[k])) for k in UNAVAILABILITY_KINDS])
    return form


@bp.route("/leave", methods=["GET", "POST"])
@roles("specialist")
def leave() -> Any:
    """List my leave and home duties; record a new period."""
    me, form = _me(), _leave_form()
    if form.validate_on_submit():
        with on_form(form) as refused:
            row = specialists.add_unavailability(db.session(), current_user(), me, specialists.UnavailabilityInput(
                form.kind.data or "leave", form.start_date.data, form.end_date.data,  # type: ignore[arg-type]
                form.hours_per_week.data or 0, form.note.data or ""))
        if not refused:
            flash(_("Your leave is recorded."), "success")
            clashes = leave_rules.clashes_of(db.session(), me, row)
            if clashes:
                flash(_("The published plan has you working in %(weeks)s. The coordinator is told and will plan "
                        "those hours again.", weeks=", ".join(iso_week(c.week) for c in clashes)), "warning")
            return go(url_for("me.leave"))
    status = 422 if form.is_submitted() else 200
    return render_template("me/leave.html", form=form, periods=me.unavailability,
                           clashes=leave_rules.plan_clashes(db.session(), me.id)), status


@bp.route("/leave/<int:unavailability_id>/delete", methods=["POST"])
@roles("specialist")
def delete_leave(unavailability_id: int) -> Any:
    """Remove a period of leave or home duty."""
    specialists.delete_unavailability(db.session(), current_user(), _me(), unavailability_id)
    flash(_("The period is removed."), "success")
    return go(url_for("me.leave"))


def _level_form(with_remove: bool = True) -> LevelForm:
    form = LevelForm()
    skills = pool_admin.list_skills(db.session())
    form.skill_id.choices = options((s.id, s.name) for s in skills)
    form.level.choices = options(([(0, _("remove from my profile"))] if with_remove else []) + LEVELS)
    return form


def _profile(me) -> dict[int, Any]:  # type: ignore[no-untyped-def]
    return {c.skill_id: c for c in specialists.pending_changes(db.session(), me)}


@bp.route("/skills")
@roles("specialist")
def skills() -> Any:
    """Show my skill profile with the changes waiting for approval."""
    me = _me()
    held = sorted(me.skills, key=lambda s: s.skill.name)
    return render_template("me/skills.html", held=held, pending=_profile(me), form=_level_form(False),
                           specialist=me)


@bp.route("/skills/<int:skill_id>/edit")
@roles("specialist")
def edit_skill(skill_id: int) -> Any:
    """Return the row of one skill as a small form (inline edit)."""
    me = _me()
    held = next((s for s in me.skills if s.skill_id == skill_id), None)
    if held is None:
        abort(404)
    form = _level_form()
    form.skill_id.data, form.level.data = skill_id, held.level
    return render_template("me/_skill_edit_row.html", held=held, form=form)


@bp.route("/skills/<int:skill_id>/row")
@roles("specialist")
def skill_row(skill_id: int) -> Any:
    """Return the row of one skill as shown (after an inline edit is left)."""
    me = _me()
    held = next((s for s in me.skills if s.skill_id == skill_id), None)
    if held is None:
        abort(404)
    return render_template("me/_skill_row.html", held=held, pending=_profile(me).get(skill_id))


@bp.route("/skills/propose", methods=["POST"])
@roles("specialist")
def propose() -> Any:
    """Ask for a new level in a skill; it takes effect once the coordinator approves."""
    me, form = _me(), _level_form()
    if not form.validate():
        abort(400)
    with on_form(form) as refused:
        change = specialists.propose_skill_change(db.session(), current_user(), me, form.skill_id.data,
                                                  form.level.data, form.note.data or "")
    if refused:
        return _refused_level(me, form, refused.status)
    held = next((s for s in me.skills if s.skill_id == change.skill_id), None)
    if request.headers.get("HX-Request") and held is not None:
        return render_template("me/_skill_row.html", held=held, pending=change)
    flash(_("Your change waits for the coordinator's approval."), "success")
    return go(url_for("me.skills"))


def _refused_level(me: Any, form: LevelForm, status: int) -> Any:
    """Show a refused level again: in its own row when asked inline, else on the page's form, as typed."""
    held = next((s for s in me.skills if s.skill_id == form.skill_id.data), None)
    if request.headers.get("HX-Request") and held is not None:
        return render_template("me/_skill_edit_row.html", held=held, form=form,
                               error=" ".join([*form.form_errors, *form.skill_id.errors, *form.level.errors])), status
    shown = _level_form(False)
    shown.process(request.form)
    for name in ("skill_id", "level"):
        shown[name].errors = form[name].errors
    shown.form_errors = form.form_errors
    return render_template("me/skills.html", held=sorted(me.skills, key=lambda s: s.skill.name),
                           pending=_profile(me), form=shown, specialist=me), status


@bp.route("/calendar")
@roles("specialist")
def calendar() -> Any:
    """Show the address of my calendar feed, or offer to make one."""
    token = current_user().calendar_token
    feed = feed_url(token) if token else None
    return render_template("me/calendar.html", feed=feed)


@bp.route("/calendar/token", methods=["POST"])
@roles("specialist")
def new_token() -> Any:
    """Make a new secret feed address; the old one stops working."""
    first = current_user().calendar_token is None
    accounts.new_calendar_token(db.session(), current_user())
    flash(_("Your calendar feed is switched on.") if first else _("Your calendar feed has a new address."), "success")
    return go(url_for("me.calendar"))


@bp.route("/calendar/revoke", methods=["POST"])
@roles("specialist")
def revoke_token() -> Any:
    """Switch my calendar feed off."""
    accounts.revoke_calendar_token(db.session(), current_user())
    flash(_("Your calendar feed is switched off."), "success")
    return go(url_for("me.calendar"))
