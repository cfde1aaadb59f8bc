"""The coordinator's municipalities and their pool contributions over time."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request, url_for
from flask_babel import gettext as _

from pool.models import Municipality
from pool.services import pool_admin
from web import db
from web.auth import current_user, roles
from web.forms import seen_version
from web.forms.pool import ContributionForm, MunicipalityForm
from web.htmx import go, wants
from web.refusals import on_form

bp = Blueprint("municipalities", __name__, url_prefix="/pool/municipalities")


@bp.route("/")
@roles("coordinator")
def index() -> Any:
    """List the municipalities with the pool hours they commit now; filter as you type."""
    q = request.args.get("q", "")
    rows = pool_admin.list_municipalities(db.session(), q)
    if wants("municipality-rows"):
        return render_template("municipalities/_rows.html", rows=rows)
    return render_template("municipalities/index.html", rows=rows, q=q)


@bp.route("/new", methods=["GET", "POST"])
@roles("coordinator")
def new() -> Any:
    """Add a municipality to the cooperation."""
    form = MunicipalityForm()
    if form.validate_on_submit():
        with on_form(form) as refused:
            m = pool_admin.save_municipality(db.session(), current_user(), form.code.data or "", form.name.data or "")
        if not refused:
            flash(_("%(name)s is added.", name=m.name), "success")
            return go(url_for("municipalities.show", municipality_id=m.id))
    return render_template("municipalities/new.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/<int:municipality_id>", methods=["GET", "POST"])
@roles("coordinator")
def show(municipality_id: int) -> Any:
    """Show a municipality and its contributions; rename it."""
    s = db.session()
    m = pool_admin.get_municipality(s, municipality_id)
    form = MunicipalityForm(obj=m)
    if form.validate_on_submit():
        with on_form(form) as refused:
            pool_admin.save_municipality(s, current_user(), form.code.data or "", form.name.data or "", m.id)
        if not refused:
            flash(_("%(name)s is saved.", name=m.name), "success")
            return go(url_for("municipalities.show", municipality_id=m.id))
    status = 422 if form.is_submitted() else 200
    return render_template("municipalities/show.html", m=m, form=form, contribution=_contribution_form(m)), status


def _contribution_form(m: Municipality) -> ContributionForm:
    """A form for a new contribution that carries the contribution in force as the page shows it."""
    latest = m.contributions[-1] if m.contributions else None
    return ContributionForm(latest=latest.id if latest else 0, version=latest.version if latest else 0)


def _seen(form: ContributionForm) -> pool_admin.SeenContribution | None:
    latest, version = seen_version(form.latest.data), seen_version(form.version.data)
    if latest is None or version is None:
        return None  # an API caller that shows no page: only a race is refused
    return pool_admin.SeenContribution(latest, version)


@bp.route("/<int:municipality_id>/contributions", methods=["POST"])
@roles("coordinator")
def add_contribution(municipality_id: int) -> Any:
    """Commit new pool hours per week from a date on."""
    s = db.session()
    m = pool_admin.get_municipality(s, municipality_id)
    form = ContributionForm()
    if form.validate_on_submit():
        with on_form(form) as refused:
            pool_admin.add_contribution(s, current_user(), m.id, form.hours_per_week.data or 0,
                                        form.valid_from.data, form.reason.data or "", _seen(form))  # type: ignore[arg-type]
        if not refused:
            flash(_("The contribution is recorded."), "success")
            return go(url_for("municipalities.show", municipality_id=m.id))
        return render_template("municipalities/show.html", m=m, form=MunicipalityForm(obj=m),
                               contribution=form), refused.status
    return render_template("municipalities/show.html", m=m, form=MunicipalityForm(obj=m), contribution=form), 422
