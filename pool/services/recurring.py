"""The recurring jobs' work: each takes a session and the time, changes what it must, and returns its outcome.

The caller (pool.services.jobs.run_job) commits the work together with the job's record, so a job that dies
half-way leaves nothing of itself behind. The nightly re-plan is the exception that proves it: it is a planner
run, which has its own record and never touches the published plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.models import Assignment, JobSchedule, LedgerClose, Need, Request, User
from pool.services import runs
from pool.services.audit import record
from pool.services.exchange import published_plan
from pool.services.ledger import month_lines
from pool.services.notifications import notify
from pool.services.plan_compare import plan_cells

REMINDER_DAYS = 14
NIGHTLY_TIME_LIMIT = 60.0


def nightly_replan(session: Session, schedule: JobSchedule, now: dt.datetime) -> dict[str, Any]:
    """Plan the approved requests again into a draft; a coordinator decides whether to publish it."""
    try:
        run = runs.start_run(session, None, "planner", float(schedule.state.get("time_limit", NIGHTLY_TIME_LIMIT)))
    except runs.RunBusy as e:
        return {"skipped": f"planner run {e.run.id} is {e.run.status}"}
    runs.execute_run(run.id, session.get_bind().engine.url.render_as_string(hide_password=False))
    session.expire_all()
    run = runs.get_run(session, run.id)
    if run.status == "failed":
        raise RuntimeError(f"planner run {run.id} failed: {run.message}")
    return {"run": run.id, "status": run.status, "draft": run.plan_id}


def weekly_digest(session: Session, schedule: JobSchedule, now: dt.datetime) -> dict[str, Any]:
    """Tell each specialist its new and changed assignments, and each team lead where its requests stand."""
    plan = published_plan(session)
    since = schedule.state.get("plan_id")
    now_cells = plan_cells(session, plan.id) if plan else {}
    then_cells = plan_cells(session, since) if since and since != getattr(plan, "id", None) else (
        {} if since is None else now_cells)
    changed: dict[int, list[str]] = defaultdict(list)
    for (need_id, specialist_id, week), hours in sorted(now_cells.items(), key=lambda kv: kv[0][2]):
        if then_cells.get((need_id, specialist_id, week)) != hours:
            changed[specialist_id].append(f"{week.isoformat()}:{hours}")
    specialists = 0
    for user in session.scalars(select(User).where(User.role == "specialist", User.active)):
        weeks = changed.get(user.specialist_id or 0, [])
        if weeks:
            specialists += _tell(session, user, "digest_specialist", {"changes": len(weeks), "weeks": weeks[:20]},
                                 "/me")
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for municipality_id, status, n in session.execute(
        select(Request.municipality_id, Request.status, func.count()).group_by(Request.municipality_id,
                                                                            Request.status)):
        counts[municipality_id][status] = int(n)
    leads = 0
    for user in session.scalars(select(User).where(User.role == "team_lead", User.active)):
        by_status = counts.get(user.municipality_id or 0, {})
        if by_status:
            leads += _tell(session, user, "digest_team_lead", {"statuses": by_status}, "/requests")
    schedule.state = dict(schedule.state) | {"plan_id": plan.id if plan else None}
    return {"specialists": specialists, "team_leads": leads}


def window_reminder(session: Session, schedule: JobSchedule, now: dt.datetime) -> dict[str, Any]:
    """Warn team leads and coordinators of requests whose window starts within two weeks with nothing planned."""
    plan = published_plan(session)
    planned = set()
    if plan is not None:
        planned = set(session.scalars(select(Need.request_id).join(Assignment, Assignment.need_id == Need.id)
                                      .where(Assignment.plan_id == plan.id).distinct()))
    today = now.date()
    soon = select(Request).where(Request.status.in_(("submitted", "approved", "planned")),
                                 Request.first_week >= today,
                                 Request.first_week <= today + dt.timedelta(days=REMINDER_DAYS))
    reminded = set(schedule.state.get("reminded", []))
    coordinators = list(session.scalars(select(User).where(User.role == "coordinator", User.active)))
    told = []
    for request in session.scalars(soon.order_by(Request.first_week, Request.id)):
        if request.id in planned or request.id in reminded:
            continue
        leads = session.scalars(select(User).where(User.role == "team_lead", User.active,
                                                   User.municipality_id == request.municipality_id))
        facts = {"request": request.code, "title": request.title, "starts": request.first_week.isoformat()}
        for user in [*leads, *coordinators]:
            _tell(session, user, "window_reminder", facts, f"/requests/{request.id}")
        told.append(request.code)
        reminded.add(request.id)
    schedule.state = dict(schedule.state) | {"reminded": sorted(reminded)}
    return {"requests": told}


def monthly_close(session: Session, schedule: JobSchedule, now: dt.datetime) -> dict[str, Any]:
    """Freeze the ledger figures of the month that ended; a month is closed once."""
    month = (now.date().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    if session.scalar(select(LedgerClose).where(LedgerClose.month == month)) is not None:
        return {"skipped": f"{month} is closed already"}
    lines = [asdict(line) for line in month_lines(session, month)]
    close = LedgerClose(month=month, closed_by="scheduler", lines=lines)
    session.add(close)
    session.flush()
    record(session, "scheduler", "close", "ledger_month", month, {"lines": [None, lines]})
    return {"month": month, "lines": len(lines)}


def _tell(session: Session, user: User, kind: str, facts: dict[str, Any], link: str) -> int:
    """Notify in the app; the mail (if the user has an address) goes out once the job's work is committed."""
    return notify(session, [user], kind, facts, link)
