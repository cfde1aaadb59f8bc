"""The coordinator's plans: the list, one plan with its grid, one request in a plan, two plans compared."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from pool.services import plans as service
from pool.services import pool_admin
from pool.services.exchange import export_plan, published_plan
from pool.services.plan_compare import compare_plans
from pool.services.plan_figures import plan_figures
from pool.services.plan_request import request_in_plan
from web import db
from web.auth import roles
from web.explanations import RULES, SHARES, Wording
from web.figures import figure_rows
from web.htmx import wants

bp = Blueprint("plans", __name__, url_prefix="/plans")

bp.add_app_template_global(figure_rows)

SHORTFALL_ROWS = 50
COMPARE_ROWS = 100


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.route("/")
@roles("coordinator")
def index() -> Any:
    """List the plans with their key figures."""
    s = db.session()
    plans = service.list_plans(s)
    published = published_plan(s)
    return render_template("plans/index.html", plans=plans, figures=plan_figures(s, [p.id for p in plans]),
                           published=published)


@bp.route("/<int:plan_id>")
@roles("coordinator")
def show(plan_id: int) -> Any:
    """Show a plan: its figures beside the published plan's, the score per goal and the grid of specialists."""
    s = db.session()
    plan = service.get_plan(s, plan_id)
    where = service.GridFilter(skill_id=_int_arg("skill"), municipality_id=_int_arg("municipality"),
                               name=request.args.get("name", ""), page=_int_arg("page") or 1)
    grid = service.grid(s, plan, where)
    if wants("plan-grid"):
        return render_template("plans/_grid.html", plan=plan, grid=grid, where=where)
    published = published_plan(s)
    other = published if published is not None and published.id != plan.id else None
    figures = plan_figures(s, [plan.id] + ([other.id] if other else []))
    shortfalls = service.shortfalls(s, plan, SHORTFALL_ROWS)
    return render_template(
        "plans/show.html", plan=plan, other=other, figures=figures[plan.id],
        other_figures=figures[other.id] if other else None, grid=grid, where=where, shortfalls=shortfalls,
        skills=pool_admin.list_skills(s), municipalities=pool_admin.list_municipalities(s),
        rules=RULES, shares=SHARES,
    )


@bp.route("/<int:plan_id>.json")
@roles("coordinator")
def download(plan_id: int) -> Any:
    """Download a plan as a pool-plan/1 document."""
    doc = export_plan(db.session(), plan_id)
    return Response(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.json"'})


@bp.route("/<int:plan_id>/requests/<int:request_id>")
@roles("coordinator")
def request_view(plan_id: int, request_id: int) -> Any:
    """Show one request in a plan: who works which weeks and why, and why the rest is not filled."""
    s = db.session()
    plan = service.get_plan(s, plan_id)
    view = request_in_plan(s, plan, request_id)
    return render_template("plans/request.html", plan=plan, view=view, req=view.request,
                           wording=Wording(view.names))


@bp.route("/compare")
@roles("coordinator")
def compare() -> Any:
    """Compare two plans; by default the newest draft with the published plan."""
    s = db.session()
    plans = service.list_plans(s)
    a_id, b_id = _int_arg("a"), _int_arg("b")
    if a_id is None or b_id is None:
        published = published_plan(s)
        draft = next((p for p in plans if p.status == "draft"), None)
        a_id = a_id or (published.id if published else None)
        b_id = b_id or (draft.id if draft else None)
        if a_id is not None and b_id is not None:
            return redirect(url_for("plans.compare", a=a_id, b=b_id))
        return render_template("plans/compare.html", plans=plans, comparison=None, a_id=a_id, b_id=b_id)
    if a_id == b_id:
        return render_template("plans/compare.html", plans=plans, comparison=None, a_id=a_id, b_id=b_id,
                               error=_("Choose two different plans.")), 422
    comparison = compare_plans(s, service.get_plan(s, a_id), service.get_plan(s, b_id))
    return render_template("plans/compare.html", plans=plans, comparison=comparison, a_id=a_id, b_id=b_id,
                           rows=COMPARE_ROWS)
