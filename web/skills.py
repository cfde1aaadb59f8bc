"""The coordinator's skill catalogue, with inline renaming."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request, url_for
from flask_babel import gettext as _

from pool.services import pool_admin
from web import db
from web.auth import current_user, roles
from web.forms.pool import SkillForm
from web.htmx import go, htmx, wants
from web.refusals import on_form

bp = Blueprint("skills", __name__, url_prefix="/pool/skills")


@bp.route("/", methods=["GET", "POST"])
@roles("coordinator")
def index() -> Any:
    """List the catalogue (filter as you type) and add a skill."""
    s, q = db.session(), request.args.get("q", "")
    form = SkillForm()
    if form.validate_on_submit():
        with on_form(form) as refused:
            skill = pool_admin.save_skill(s, current_user(), form.name.data or "", form.code.data or "")
        if not refused:
            flash(_("%(name)s is added to the catalogue.", name=skill.name), "success")
            return go(url_for("skills.index"))
    rows = pool_admin.list_skills(s, q)
    if wants("skill-rows"):
        return render_template("skills/_rows.html", rows=rows)
    return render_template("skills/index.html", rows=rows, q=q, form=form), 422 if form.is_submitted() else 200


@bp.route("/<int:skill_id>", methods=["GET", "POST"])
@roles("coordinator")
def edit(skill_id: int) -> Any:
    """Rename a skill: a row that turns into a form under htmx, a page of its own without."""
    s = db.session()
    skill = pool_admin.get_skill(s, skill_id)
    form = SkillForm(obj=skill)
    if form.validate_on_submit():
        with on_form(form) as refused:
            pool_admin.save_skill(s, current_user(), form.name.data or "", skill_id=skill.id)
        if not refused and htmx:
            return render_template("skills/_row.html", skill=skill)
        if not refused:
            flash(_("%(name)s is saved.", name=skill.name), "success")
            return go(url_for("skills.index"))
    status = 422 if form.is_submitted() else 200
    if htmx:
        return render_template("skills/_edit_row.html", skill=skill, form=form), status
    return render_template("skills/edit.html", skill=skill, form=form), status


@bp.route("/<int:skill_id>/row")
@roles("coordinator")
def row(skill_id: int) -> Any:
    """Return one catalogue row as shown (when an inline edit is cancelled)."""
    return render_template("skills/_row.html", skill=pool_admin.get_skill(db.session(), skill_id))
