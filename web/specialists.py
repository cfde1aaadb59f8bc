"""The coordinator's specialists and their skill levels."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _

from pool.services import pool_admin
from pool.services import specialists as service
from web import db
from web.auth import current_user, roles
from web.forms import options, seen_version
from web.forms.me import LevelForm
from web.forms.pool import SpecialistForm
from web.htmx import go, htmx, wants
from web.refusals import on_form

bp = Blueprint("specialists", __name__, url_prefix="/pool/specialists")


def _form(obj: Any = None) -> SpecialistForm:
    form = SpecialistForm(obj=obj)
    places = pool_admin.list_municipalities(db.session())
    form.municipality_id.choices = options([("", _("— the knowledge partner —"))] + [(m.id, m.name) for m in places])
    return form


def _level_form(specialist: Any = None) -> LevelForm:
    """Levels 1 to 5 only: removing a skill is its own button, never a level to pick by mistake."""
    form = LevelForm()
    held = {h.skill_id for h in specialist.skills} if specialist is not None else set()
    skills = [s for s in pool_admin.list_skills(db.session()) if s.id not in held]
    form.skill_id.choices = options((s.id, s.name) for s in skills)
    form.level.choices = options((i, str(i)) for i in range(1, 6))
    return form


def _input(form: SpecialistForm) -> service.SpecialistInput:
    return service.SpecialistInput(
        name=form.name.data or "", municipality_id=form.municipality_id.data,
        pool_hours_per_week=form.pool_hours_per_week.data or 0, hourly_cost=form.hourly_cost.data or 0,
        active=bool(form.active.data), code=form.code.data or "", version=seen_version(form.version.data),
    )


@bp.route("/")
@roles("coordinator")
def index() -> Any:
    """List the specialists, a page at a time; filter as you type."""
    q = request.args.get("q", "")
    rows = service.list_specialists(db.session(), q, request.args.get("page", 1, type=int))
    template = "specialists/_list.html" if wants("specialist-list") else "specialists/index.html"
    return render_template(template, rows=rows, q=q)


@bp.route("/new", methods=["GET", "POST"])
@roles("coordinator")
def new() -> Any:
    """Add a specialist to the pool."""
    form = _form()
    if form.validate_on_submit():
        with on_form(form) as refused:
            specialist = service.create_specialist(db.session(), current_user(), _input(form))
        if not refused:
            flash(_("%(name)s is added.", name=specialist.name), "success")
            return go(url_for("specialists.show", specialist_id=specialist.id))
    return render_template("specialists/new.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/<int:specialist_id>", methods=["GET", "POST"])
@roles("coordinator")
def show(specialist_id: int) -> Any:
    """Show and change a specialist, with its skills."""
    s = db.session()
    specialist = service.get_specialist(s, specialist_id)
    form = _form(specialist)
    if request.method == "GET":
        form.municipality_id.data = specialist.municipality_id
    if form.validate_on_submit():
        with on_form(form) as refused:
            service.update_specialist(s, current_user(), specialist.id, _input(form))
        if not refused:
            flash(_("%(name)s is saved.", name=specialist.name), "success")
            return go(url_for("specialists.show", specialist_id=specialist.id))
        if refused.status == 409:
            return _page(specialist, form, 409)
    return _page(specialist, form, 422 if form.is_submitted() else 200)


def _page(specialist: Any, form: SpecialistForm, status: int) -> Any:
    held = sorted(specialist.skills, key=lambda x: x.skill.name)
    return render_template("specialists/show.html", specialist=specialist, form=form, held=held,
                           level_form=_level_form(specialist)), status


@bp.route("/<int:specialist_id>/skills", methods=["POST"])
@roles("coordinator")
def set_level(specialist_id: int) -> Any:
    """Add a skill or set its level directly (the coordinator's own change needs no approval); htmx swaps the row."""
    s = db.session()
    form = _level_form()
    if not form.validate():
        abort(400)
    before = {h.skill_id: h.level for h in service.get_specialist(s, specialist_id).skills}
    specialist = service.set_skill_level(s, current_user(), specialist_id, form.skill_id.data, form.level.data)
    held = next(x for x in specialist.skills if x.skill_id == form.skill_id.data)
    if htmx and wants(f"skill-{held.skill_id}"):
        return render_template("specialists/_skill_row.html", specialist=specialist, held=held,
                               level_form=_level_form())
    if held.skill_id in before:
        flash(_("%(skill)s is now level %(level)s.", skill=held.skill.name, level=held.level), "success")
    else:
        flash(_("%(skill)s is added at level %(level)s.", skill=held.skill.name, level=held.level), "success")
    return go(url_for("specialists.show", specialist_id=specialist.id))


@bp.route("/<int:specialist_id>/skills/<int:skill_id>/remove", methods=["POST"])
@roles("coordinator")
def remove_skill(specialist_id: int, skill_id: int) -> Any:
    """Take a skill off a specialist's profile; htmx drops the row."""
    s = db.session()
    specialist = service.get_specialist(s, specialist_id)
    held = next((x for x in specialist.skills if x.skill_id == skill_id), None)
    if held is None:
        abort(404)
    name = held.skill.name
    service.set_skill_level(s, current_user(), specialist_id, skill_id, 0)
    if htmx and wants(f"skill-{skill_id}"):
        return ""
    flash(_("%(skill)s is removed.", skill=name), "success")
    return go(url_for("specialists.show", specialist_id=specialist_id))
