"""The coordinator's contract with the knowledge partner."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _

from pool.services import pool_admin
from web import db
from web.auth import current_user, roles
from web.forms import seen_version
from web.forms.pool import ContractForm
from web.htmx import go
from web.refusals import on_form

bp = Blueprint("partner", __name__, url_prefix="/pool/partner")


@bp.route("/", methods=["GET", "POST"])
@roles("coordinator")
def contract() -> Any:
    """Show and change the partner contract: budget, rate, notice period, validity."""
    s = db.session()
    current = pool_admin.partner_contract(s)
    form = ContractForm(obj=current)
    if form.validate_on_submit():
        with on_form(form) as refused:
            pool_admin.save_partner_contract(s, current_user(), pool_admin.ContractInput(
                form.name.data or "", form.budget_hours.data or 0, form.hourly_rate.data or 0,
                form.min_notice_weeks.data or 0, form.valid_from.data, form.valid_to.data,  # type: ignore[arg-type]
                seen_version(form.version.data)), form.reason.data or "")
        if not refused:
            flash(_("The partner contract is saved."), "success")
            return go(url_for("partner.contract"))
        return render_template("partner/contract.html", form=form), refused.status
    return render_template("partner/contract.html", form=form), 422 if form.is_submitted() else 200
