"""Planner runs: start one, watch its panel refresh itself, stop it; the scheduler does the planning."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pool.errors import PoolError
from pool.services import leave, runs
from web import db
from web.auth import current_user, roles
from web.forms.plans import RunForm
from web.htmx import go, htmx
from web.jobs import run_in_background
from web.refusals import put_on

bp = Blueprint("runs", __name__, url_prefix="/plans/runs")

RUN_STATUS = {"queued": _l("queued"), "running": _l("running"), "finished": _l("finished"), "failed": _l("failed"),
              "stopped": _l("stopped")}
RUN_METHOD = {"planner": _l("Planner"), "greedy": _l("Greedy")}
RUN_STEP = {"setup": _l("preparing"), "fill": _l("filling demand"), "balance": _l("balancing the other goals"),
            "part": _l("planning the independent parts"), "done": _l("done")}


@bp.app_context_processor
def _words() -> dict[str, Any]:
    return {"RUN_STATUS": RUN_STATUS, "RUN_METHOD": RUN_METHOD, "RUN_STEP": RUN_STEP, "when": format_datetime,
            "run_message": run_message}


def run_message(run: Any) -> str:
    """Say why a run ended the way it did, in the reader's language where the reason is known."""
    if run.message == runs.INTERRUPTED:
        return _("The server stopped while this run was going; start it again.")
    return str(run.message)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not htmx


@bp.route("", methods=["GET", "POST"])
@roles("coordinator")
def index() -> Any:
    """The runs so far and the form that starts a new one."""
    s = db.session()
    form = RunForm()
    status = 200
    if form.validate_on_submit():
        base = request.form.get("base_plan", type=int)
        scenario = request.form.get("scenario", type=int)
        try:
            run = runs.start_run(s, current_user(), form.method.data or "planner", float(form.time_limit.data or 0),
                                 form.frozen_weeks.data or 0, base, scenario)
        except runs.RunBusy as e:
            form.form_errors.append(_busy_message(e.run))
            status = 409
        except PoolError as e:
            put_on(form, e)
            status = 422
        else:
            run_in_background(run.id)
            return go(url_for("runs.show", run_id=run.id))
    elif form.is_submitted():
        status = 422
    return render_template("runs/index.html", form=form, runs=runs.list_runs(s), active=runs.active_run(s),
                           clashes=leave.by_specialist(leave.plan_clashes(s))), status


def _busy_message(run: Any) -> str:
    who = run.started_by.name if run.started_by else _("someone")
    return _("Another planner run is going (run %(id)s, started by %(who)s). Wait until it ends, or stop it, "
             "before you start a new one.", id=run.id, who=who)


@bp.route("/<int:run_id>")
@roles("coordinator")
def show(run_id: int) -> Any:
    """A run's page; its panel polls itself while the run goes; JSON for other tools."""
    run = runs.get_run(db.session(), run_id)
    if _wants_json():
        return jsonify({"status": run.status, "plan_id": run.plan_id, "progress": run.progress,
                        "message": run.message})
    if htmx and htmx.target == "run-panel":
        return render_template("runs/_panel.html", run=run)
    return render_template("runs/show.html", run=run)


@bp.route("/<int:run_id>/stop", methods=["POST"])
@roles("coordinator")
def stop(run_id: int) -> Any:
    """Ask the run to stop; it keeps the best plan found so far."""
    run = runs.request_stop(db.session(), run_id, current_user())
    if htmx:
        return render_template("runs/_panel.html", run=run)
    return go(url_for("runs.show", run_id=run.id))
