"""The coordinator's hands on a plan: change an assignment, pin it, see who fits, revise, publish."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _

from pool.errors import NotFound, PoolError, VersionConflict
from pool.models import Plan
from pool.services import plan_edits, planning, who_fits
from pool.weeks import week_start
from web import db
from web.auth import _safe_next, current_user, roles
from web.breaches import Names, rule_name, say
from web.forms import seen_version
from web.forms.plans import AssignmentForm, ReasonForm, RunForm
from web.htmx import go, htmx
from web.i18n import iso_week
from web.refusals import on_form
from web.refusals import say as refusal

bp = Blueprint("plan_desk", __name__, url_prefix="/plans")


@bp.app_context_processor
def _forms() -> dict[str, Any]:
    return {"run_form": RunForm, "reason_form": ReasonForm}


def _back(plan_id: int) -> str:
    return _safe_next(request.form.get("next")) or f"/plans/{plan_id}"


@bp.route("/<int:plan_id>/assignments", methods=["POST"])
@roles("coordinator")
def assign(plan_id: int) -> Any:
    """Set an assignment's hours (0 removes it) and pin, with a reason; refuse a breach of a hard rule."""
    s = db.session()
    form = AssignmentForm()
    if not form.validate():
        problems = [f"{form[name].label.text}: {' '.join(errors)}" for name, errors in form.errors.items()]
        return _refused(plan_id, [], problems, 422)
    change = plan_edits.Change(form.request.data or "", form.need.data or 0, form.specialist.data or "",
                               form.week.data or 0, form.hours.data or 0, bool(form.pinned.data),
                               form.reason.data or "", seen_version(form.version.data))
    try:
        plan_edits.set_assignment(s, plan_id, current_user(), change)
    except plan_edits.RuleBreach as e:
        s.rollback()
        return _refused(plan_id, e.breaches, [], 422)
    except NotFound:
        raise
    except PoolError as e:
        s.rollback()
        return _refused(plan_id, [], [refusal(e)], 409 if isinstance(e, VersionConflict) else 422)
    flash(_("The assignment is saved.") if change.hours else _("The assignment is removed."), "success")
    return go(_back(plan_id))


def _refused(plan_id: int, breaches: list[Any], problems: list[str], status: int) -> Any:
    """Say which rule a change would break, with the numbers, and change nothing."""
    s = db.session()
    plan = s.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"there is no plan {plan_id}")
    start = plan.horizon_start
    people, titles = plan_edits.names_for(s, {str(v.facts.get("specialist")) for v in breaches},
                                          {str(v.facts.get("request")) for v in breaches})
    names = Names(start, people, titles)
    lines = [(rule_name(v.rule), say(v, names)) for v in breaches] + [(_("Form"), p) for p in problems]
    template = "plans/_refused.html" if htmx else "plans/refused.html"
    return render_template(template, lines=lines, back=_back(plan_id), plan_id=plan_id), status


@bp.route("/<int:plan_id>/fits")
@roles("coordinator")
def fits(plan_id: int) -> Any:
    """Who fits a need of a draft: qualified specialists ranked, and the partner with its budget left."""
    s = db.session()
    code, need = request.args.get("request", ""), request.args.get("need", 0, type=int)
    found = who_fits.who_fits(s, plan_id, code, need)
    plan = plan_edits.draft(s, plan_id)
    skills, towns = who_fits.catalogue_names(s)
    return render_template("plans/fits.html", plan=plan, found=found, skill_names=skills, town_names=towns,
                           week_label=lambda w: iso_week(week_start(plan.horizon_start, w)),
                           back=_safe_next(request.args.get("next")) or f"/plans/{plan_id}")


@bp.route("/<int:plan_id>/revise", methods=["POST"])
@roles("coordinator")
def revise(plan_id: int) -> Any:
    """Copy a plan into a new draft that can be changed by hand."""
    form = ReasonForm()
    if not form.validate():
        return _refused(plan_id, [], [_("Give a reason for the new draft.")], 422)
    with on_form(form) as refused:
        copy = plan_edits.revise(db.session(), plan_id, current_user(), form.reason.data or "")
    if refused:
        return _refused(plan_id, [], form.form_errors + form.reason.errors, refused.status)
    flash(_("A new draft was made from plan %(id)s; change it, then publish it.", id=plan_id), "success")
    return go(f"/plans/{copy.id}")


@bp.route("/<int:plan_id>/publish", methods=["POST"])
@roles("coordinator")
def publish(plan_id: int) -> Any:
    """Put a draft in force, with a reason; the people whose assignments changed are told."""
    form = ReasonForm()
    if not form.validate():
        return _refused(plan_id, [], [_("Give a reason for publishing this plan.")], 422)
    with on_form(form) as refused:
        planning.publish_plan(db.session(), plan_id, current_user(), form.reason.data or "")
    if refused:
        return _refused(plan_id, [], form.form_errors + form.reason.errors, refused.status)
    flash(_("Plan %(id)s is published; the specialists and team leads whose assignments changed are told.",
            id=plan_id), "success")
    return go(f"/plans/{plan_id}")
