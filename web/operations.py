"""Running the product: the recurring jobs page (schedules, last and next run, "run now") and /healthz."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, flash, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from pool.errors import PoolError
from pool.scheduler import heartbeat
from pool.services import jobs
from web import db
from web.auth import current_user, roles
from web.htmx import go
from web.jobs import start
from web.refusals import say

bp = Blueprint("operations", __name__)

JOB_NAMES = {
    "nightly-replan": _l("Nightly draft re-plan of the approved requests (never published by itself)"),
    "weekly-digest": _l("Weekly digest for specialists and team leads"),
    "window-reminder": _l("Reminder: a request starts within two weeks with nothing planned"),
    "monthly-close": _l("Monthly close: freeze last month's ledger figures"),
}
JOB_STATUS = {"running": _l("running"), "finished": _l("finished"), "failed": _l("failed"),
              "skipped": _l("skipped")}


@bp.route("/jobs")
@roles("coordinator")
def jobs_index() -> Any:
    """Every recurring job with its schedule, last run, outcome and next run."""
    return _jobs_page()


def _jobs_page(**extra: Any) -> str:
    s = db.session()
    lease = heartbeat(s)
    return render_template("operations/jobs.html", schedules=jobs.schedules(s), last=jobs.last_runs(s),
                           next_runs=jobs.next_runs(s), JOB_NAMES=JOB_NAMES, JOB_STATUS=JOB_STATUS, lease=lease,
                           lease_age=_age(lease.heartbeat_at if lease else None), **extra)


@bp.route("/jobs/<job_id>", methods=["POST"])
@roles("coordinator")
def jobs_update(job_id: str) -> Any:
    """Change a job's schedule (five cron fields, UTC) or switch it off."""
    s = db.session()
    try:
        jobs.set_schedule(s, current_user(), job_id, request.form.get("cron", ""), request.form.get("enabled") == "1")
    except PoolError as e:
        s.rollback()
        return _jobs_page(error=(job_id, say(e)), entered=request.form.get("cron", "")), 422
    flash(_("The schedule is saved."))
    return go(url_for("operations.jobs_index"))


@bp.route("/jobs/<job_id>/run", methods=["POST"])
@roles("coordinator")
def jobs_run_now(job_id: str) -> Any:
    """Ask the active scheduler to run the job now."""
    jobs.request_run_now(db.session(), current_user(), job_id)
    service = start(current_app)
    if service is not None:
        service.wake()
    flash(_("The job will run within a few seconds."))
    return go(url_for("operations.jobs_index"))


def _age(at: dt.datetime | None) -> float | None:
    if at is None:
        return None
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=dt.UTC)
    return round((dt.datetime.now(dt.UTC) - at).total_seconds(), 1)


@bp.route("/healthz")
def healthz() -> Any:
    """For a load balancer or a monitor, without a session: is the database there, how old is the heartbeat."""
    try:
        s = db.session()
        s.execute(text("SELECT 1"))
        lease = heartbeat(s)
    except SQLAlchemyError:
        return jsonify({"status": "error", "database": "unreachable"}), 503
    age = _age(lease.heartbeat_at if lease else None)
    return jsonify({"status": "ok", "database": "ok",
                    "scheduler": {"mode": current_app.config["SCHEDULER"],
                                  "holder": lease.holder if lease and lease.expires_at else None,
                                  "heartbeat_age_seconds": age}})
