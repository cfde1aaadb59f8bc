"""The coordinator's user accounts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request, url_for
from flask_babel import gettext as _

from pool.models import ROLES
from pool.services import accounts, pool_admin, specialists
from web import db
from web.auth import current_user, roles
from web.forms import options
from web.forms.accounts import AccountForm
from web.htmx import go, wants
from web.i18n import ROLE
from web.refusals import on_form

bp = Blueprint("users", __name__, url_prefix="/pool/users")


def _form(obj: Any = None) -> AccountForm:
    s = db.session()
    form = AccountForm(obj=obj)
    form.role.choices = options([(r, str(ROLE[r])) for r in ROLES])
    form.municipality_id.choices = options([("", "—")] + [
        (m.id, m.name) for m in pool_admin.list_municipalities(s)])
    form.specialist_id.choices = options([("", "—")] + [
        (x.id, f"{x.code} {x.name}") for x in specialists.list_specialists(s, size=100_000).rows])
    return form


def _input(form: AccountForm) -> accounts.AccountInput:
    return accounts.AccountInput(
        username=form.username.data or "", name=form.name.data or "", email=form.email.data or "",
        role=form.role.data or "", municipality_id=form.municipality_id.data, specialist_id=form.specialist_id.data,
        active=bool(form.active.data), password=form.password.data or "",
    )


@bp.route("/")
@roles("coordinator")
def index() -> Any:
    """List the accounts; filter as you type."""
    q = request.args.get("q", "")
    rows = accounts.list_users(db.session(), q)
    if wants("user-rows"):
        return render_template("users/_rows.html", rows=rows)
    return render_template("users/index.html", rows=rows, q=q)


@bp.route("/new", methods=["GET", "POST"])
@roles("coordinator")
def new() -> Any:
    """Create an account."""
    form = _form()
    if form.validate_on_submit():
        with on_form(form) as refused:
            user = accounts.create_user(db.session(), current_user(), _input(form))
        if not refused:
            flash(_("The account %(name)s is created.", name=user.username), "success")
            return go(url_for("users.index"))
    return render_template("users/form.html", form=form, account=None), 422 if form.is_submitted() else 200


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles("coordinator")
def edit(user_id: int) -> Any:
    """Change an account: name, role, link, active, a new password."""
    s = db.session()
    account = accounts.get_user(s, user_id)
    form = _form(account)
    if form.validate_on_submit():
        with on_form(form) as refused:
            accounts.update_user(s, current_user(), account.id, _input(form))
        if not refused:
            flash(_("The account %(name)s is saved.", name=account.username), "success")
            return go(url_for("users.index"))
    return render_template("users/form.html", form=form, account=account), 422 if form.is_submitted() else 200
