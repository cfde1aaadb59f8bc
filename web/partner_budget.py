"""The partner's budget of hours against the hours planned and published, week by week."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import gettext as _

from pool.services.partner_budget import partner_budget
from web import db
from web.auth import roles
from web.charts import line_chart
from web.i18n import iso_week

bp = Blueprint("partner_budget", __name__)


@bp.route("/partner/budget")
@roles("coordinator")
def index() -> Any:
    """Show the budget burn: the weeks, the week the budget runs out at the current pace and the notice period."""
    budget = partner_budget(db.session())
    chart = line_chart(
        [(_("Published plan (cumulative)"), [float(b.published_total) for b in budget.weeks]),
         (_("Newest draft (cumulative)"), [float(b.planned_total) for b in budget.weeks])],
        float(budget.contract.budget_hours) if budget.contract else None, [iso_week(b.week) for b in budget.weeks])
    return render_template("partner_budget/index.html", budget=budget, chart=chart)
