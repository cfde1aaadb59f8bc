"""Requests: team leads write and follow them, the coordinator approves or rejects them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import format_timedelta, ngettext
from flask_babel import gettext as _

from pool.errors import NotWaiting
from pool.models import REQUEST_STATUSES, Request
from pool.models.base import utcnow
from pool.services import approval, horizon, pool_admin
from pool.services import requests as service
from pool.services.plan_request import shortfall_facts
from web import db
from web.auth import current_user, roles
from web.explanations import Wording
from web.forms import options, seen_version
from web.forms.requests import CancelForm, DecisionForm, NeedForm, RequestForm
from web.htmx import go, wants
from web.i18n import PRIORITY, iso_week, week_value
from web.refusals import on_form

bp = Blueprint("requests", __name__, url_prefix="/requests")

EXTRA_NEED_ROWS = 1


def _skill_choices() -> list[tuple[Any, str]]:
    skills = pool_admin.list_skills(db.session())
    return [("", _("— choose a skill —"))] + [(s.id, s.name) for s in skills]


def _prepare(form: RequestForm) -> RequestForm:
    bounds = service.horizon(db.session())
    if bounds is not None:  # the browser's week control offers the weeks of the horizon only
        for week in (form.first_week, form.last_week):
            week.render_kw = {"min": week_value(bounds[0]), "max": week_value(bounds[1])}
    form.priority.choices = options([(k, str(v)) for k, v in PRIORITY.items()])
    choices = _skill_choices()
    for entry in form.needs:
        entry.form.skill_id.choices = options(choices)
    return form


def _input(form: RequestForm) -> service.RequestInput:
    assert form.first_week.data and form.last_week.data
    return service.RequestInput(
        title=form.title.data or "", description=form.description.data or "",
        first_week=form.first_week.data, last_week=form.last_week.data,
        max_hours_per_week=form.max_hours_per_week.data or 0, priority=form.priority.data or 3,
        allow_partner=bool(form.allow_partner.data), all_or_nothing=bool(form.all_or_nothing.data),
        needs=[service.NeedInput(n.skill_id.data, n.min_level.data, n.hours.data or 0)  # type: ignore[arg-type]
               for n in form.filled_needs()],
        version=seen_version(form.version.data),
    )


def _week_hint() -> str:
    """Say how to type a week the way the browser's week control reads it, and which weeks can be asked."""
    how = _("Week number first, then the year: for week 3 of 2027 type 03 2027, or pick the week in the calendar.")
    bounds = service.horizon(db.session())
    if bounds is None:
        return how
    return how + " " + _("The planning horizon runs from %(first)s to %(last)s.", first=iso_week(bounds[0]),
                         last=iso_week(bounds[1]))


def _form_page(form: RequestForm, req: Request | None, status: int = 200) -> Any:
    return render_template("requests/form.html", form=form, req=req, week_hint=_week_hint()), status


@bp.app_template_global()
def horizon_words() -> str:
    """The planning horizon as a reader says it: "week 1, 2027 to week 26, 2027"."""
    bounds = service.horizon(db.session())
    return "" if bounds is None else _("%(first)s to %(last)s", first=iso_week(bounds[0]), last=iso_week(bounds[1]))


@bp.app_template_global()
def left_behind(req: Request | None = None) -> list[Request]:
    """The live requests outside the horizon: this one (if given), else those the user may see."""
    user = current_user()
    found = horizon.outside_horizon(db.session(), None if user.role == "coordinator" else user.municipality_id)
    return [r for r in found if req is None or r.id == req.id]


@bp.route("/")
@roles("team_lead", "coordinator")
def index() -> Any:
    """List the requests the user may see, a page at a time; filter as you type."""
    q, status = request.args.get("q", ""), request.args.get("status", "")
    if status not in REQUEST_STATUSES:
        status = ""
    template = "requests/_list.html" if wants("request-list") else "requests/index.html"
    return _list_page(template, q, status, request.args.get("page", 1, type=int))


def _list_page(template: str, q: str, status: str, page: int, **bulk_form: Any) -> str:
    s = db.session()
    rows = service.list_requests(s, current_user(), q, status, page)
    filled = service.filled_hours(s, [r.id for r in rows.rows])
    bulk = current_user().role == "coordinator" and status == "submitted" and bool(rows.rows)
    return render_template(template, rows=rows, q=q, status=status, statuses=REQUEST_STATUSES, filled=filled,
                           bulk=bulk, ticked=bulk_form.get("ticked", ()), bulk_reason=bulk_form.get("reason", ""),
                           bulk_error=bulk_form.get("error"))


@bp.route("/new", methods=["GET", "POST"])
@roles("team_lead")
def new() -> Any:
    """Write a new request; save it as a draft or submit it."""
    form = RequestForm()
    if request.method == "GET":
        form.needs.append_entry()
    return _save(_prepare(form), None)


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@roles("team_lead", "coordinator")
def edit(request_id: int) -> Any:
    """Change a request while it may still be changed."""
    req = service.get_request(db.session(), current_user(), request_id)
    form = RequestForm(obj=req) if request.method == "GET" else RequestForm()
    if request.method == "GET":
        form.needs.append_entry()
    return _save(_prepare(form), req)


def _save(form: RequestForm, req: Request | None) -> Any:
    if request.method == "GET":
        return _form_page(form, req)
    action = request.form.get("action", "save")
    if action == "add_need":
        form.needs.append_entry()
        return _form_page(_prepare(form), req)
    if not form.validate():
        return _form_page(form, req, 422)
    if action == "submit" and not form.filled_needs():
        form.form_errors.append(_("Add at least one skill before you submit."))
        return _form_page(form, req, 422)
    s, user = db.session(), current_user()
    with on_form(form) as refused:
        if req is None:
            saved = service.create_request(s, user, _input(form), submit=action == "submit")
            flash(_("Request %(code)s is saved.", code=saved.code) if saved.status == "draft"
                  else _("Request %(code)s is submitted.", code=saved.code), "success")
        else:
            saved = service.update_request(s, user, req.id, _input(form))
            if action == "submit" and req.status == "draft":
                service.submit_request(s, user, req.id, req.version)
            flash(_("Request %(code)s is changed.", code=req.code), "success")
    if refused:
        return _form_page(form, req, refused.status)
    return go(url_for("requests.show", request_id=saved.id))


@bp.route("/need-row", methods=["POST"])
@roles("team_lead", "coordinator")
def need_row() -> Any:
    """Return one more empty need row for the form."""
    index = request.args.get("index", type=int)
    if index is None or not 0 <= index < 50:
        abort(400)
    need = NeedForm(prefix=f"needs-{index}")
    need.skill_id.choices = options(_skill_choices())
    return render_template("requests/_need_added.html", need=need, index=index)


@bp.route("/validate", methods=["POST"])
@roles("team_lead", "coordinator")
def validate() -> Any:
    """Check one field of the request form as the user leaves it; return that field."""
    form = _prepare(RequestForm())
    name = request.args.get("field", "")
    if name not in ("title", "first_week", "last_week", "max_hours_per_week"):
        abort(400)
    form.validate()
    if not form[name].errors:
        _check_week(form, name)
    hint = _week_hint() if name in ("first_week", "last_week") else None
    return render_template("requests/_field.html", field=form[name], touched=True, hint=hint)


def _check_week(form: RequestForm, name: str) -> None:
    """Refuse, as the user leaves it, a week that lies outside the planning horizon."""
    week = form[name]
    if name in ("first_week", "last_week") and week.data:
        with on_form(form):
            service.check_week(db.session(), week.data, name)


@bp.route("/<int:request_id>")
@roles("team_lead", "coordinator")
def show(request_id: int) -> Any:
    """Show a request, its status and, once a plan is published, who comes when and what is not filled."""
    s = db.session()
    req = service.get_request(s, current_user(), request_id)
    return _show(req, DecisionForm(version=req.version))


def _show(req: Request, decision: DecisionForm) -> str:
    """The request page, with the published plan's outcome and its reasons worded from the planner's facts."""
    s = db.session()
    outcome = service.outcome(s, req)
    names, facts = shortfall_facts(s, outcome.plan, req) if outcome.plan and outcome.shortfalls else (None, {})
    deciding = current_user().role == "coordinator" and req.status == "submitted"
    return render_template("requests/show.html", req=req, outcome=outcome, decision=decision,
                           cancel=CancelForm(version=req.version), facts=facts,
                           wording=Wording(names) if names else None,
                           desk=approval.decision_facts(s, req) if deciding else None,
                           next_up=approval.next_waiting(s, req) if current_user().role == "coordinator" else None,
                           waited=_waited)


def _waited(since: dt.datetime) -> str:
    """How long ago, in words of the user's language ("3 dagen")."""
    if since.tzinfo is None:  # SQLite hands UTC back without its zone
        since = since.replace(tzinfo=dt.UTC)
    return format_timedelta(utcnow() - since, threshold=1.5)


@bp.route("/<int:request_id>/submit", methods=["POST"])
@roles("team_lead")
def submit(request_id: int) -> Any:
    """Submit a draft."""
    req = service.submit_request(db.session(), current_user(), request_id, seen_version(request.form.get("version")))
    flash(_("Request %(code)s is submitted.", code=req.code), "success")
    return go(url_for("requests.show", request_id=req.id))


@bp.route("/<int:request_id>/cancel", methods=["POST"])
@roles("team_lead", "coordinator")
def cancel(request_id: int) -> Any:
    """Cancel a request that is not planned yet."""
    form = CancelForm()
    if not form.validate():
        abort(400)
    req = service.cancel_request(db.session(), current_user(), request_id, form.reason.data or "",
                                 seen_version(form.version.data))
    flash(_("Request %(code)s is cancelled.", code=req.code), "success")
    return go(url_for("requests.show", request_id=req.id))


@bp.route("/<int:request_id>/approve", methods=["POST"])
@roles("coordinator")
def approve(request_id: int) -> Any:
    """Approve a submitted request for planning."""
    form = DecisionForm()
    if not form.validate():
        abort(400)
    with on_form(form) as refused:
        req = service.decide_request(db.session(), current_user(), request_id, True, form.reason.data or "",
                                     seen_version(form.version.data))
    if refused:
        return _show(service.get_request(db.session(), current_user(), request_id), form), refused.status
    flash(_("Request %(code)s is approved.", code=req.code), "success")
    return go(url_for("requests.show", request_id=req.id))


@bp.route("/approve", methods=["POST"])
@roles("coordinator")
def approve_many() -> Any:
    """Approve the submitted requests ticked in the list, each audited as its own decision."""
    ids = [int(i) for i in request.form.getlist("request_id") if i.isdigit()]
    reason = request.form.get("reason", "")
    if not ids:
        flash(_("Tick at least one request to approve."), "error")
        return go(url_for("requests.index", status="submitted"))
    try:
        done = approval.approve_many(db.session(), current_user(), ids, reason)
    except NotWaiting as e:  # shown on the list it came from, with the ticks and the reason kept
        error = _("No longer waiting for a decision: %(codes)s. Nothing is approved; untick them and try again.",
                  codes=", ".join(e.codes))
        return _list_page("requests/index.html", "", "submitted", 1, ticked=set(ids), reason=reason,
                          error=error), 422
    flash(ngettext("%(num)d request is approved: %(codes)s.", "%(num)d requests are approved: %(codes)s.",
                   len(done), codes=", ".join(r.code for r in done)), "success")
    return go(url_for("requests.index", status="submitted"))


@bp.route("/<int:request_id>/reject", methods=["POST"])
@roles("coordinator")
def reject(request_id: int) -> Any:
    """Reject a submitted request, with a reason."""
    s = db.session()
    form = DecisionForm()
    req = service.get_request(s, current_user(), request_id)
    if not form.validate() or not (form.reason.data or "").strip():
        form.reason.errors = [_("Say why the request is rejected.")]
        return _show(req, form), 422
    with on_form(form) as refused:
        service.decide_request(s, current_user(), request_id, False, form.reason.data or "",
                               seen_version(form.version.data))
    if refused:
        return _show(service.get_request(s, current_user(), request_id), form), refused.status
    flash(_("Request %(code)s is rejected.", code=req.code), "success")
    return go(url_for("requests.show", request_id=req.id))
