"""Recurring jobs: which there are, their schedules (coordinators change them), and running one by id."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pool.db import make_engine, make_session_factory
from pool.errors import NotFound, PoolError
from pool.models import JobRun, JobSchedule, User
from pool.services import recurring
from pool.services.audit import apply, record
from pool.services.mail import drop_queued, send_queued

log = logging.getLogger(__name__)

INTERRUPTED = "The scheduler stopped while this job was running; nothing of it was kept."


@dataclass(frozen=True)
class RecurringJob:
    id: str
    work: Callable[[Session, JobSchedule, dt.datetime], dict[str, Any]]
    cron: str  # the default schedule: minute hour day month day-of-week, in UTC


JOBS = {job.id: job for job in (
    RecurringJob("nightly-replan", recurring.nightly_replan, "0 2 * * *"),
    RecurringJob("weekly-digest", recurring.weekly_digest, "0 6 * * mon"),
    RecurringJob("window-reminder", recurring.window_reminder, "30 6 * * *"),
    RecurringJob("monthly-close", recurring.monthly_close, "0 3 1 * *"),
)}


def trigger(cron: str) -> CronTrigger:
    """The APScheduler trigger of a five-field cron line; a clear error when it is not one."""
    fields = cron.split()
    if len(fields) != 5:
        raise PoolError("a schedule has five fields (minute hour day month day-of-week), not %(count)s: %(cron)r",
                        field="cron", count=len(fields), cron=cron[:100])
    try:
        return CronTrigger.from_crontab(cron, timezone="UTC")
    except ValueError as e:
        raise PoolError("%(cron)r is not a schedule: %(problem)s", field="cron", cron=cron[:100],
                        problem=str(e)) from None


def schedules(session: Session) -> list[JobSchedule]:
    """Every recurring job's schedule row, made with the default schedule the first time."""
    rows = {s.job_id: s for s in session.scalars(select(JobSchedule))}
    missing = [JobSchedule(job_id=job.id, cron=job.cron, enabled=True, state={}) for job in JOBS.values()
               if job.id not in rows]
    if missing:
        session.add_all(missing)
        try:
            session.commit()
        except IntegrityError:  # another process made them at the same moment
            session.rollback()
        rows = {s.job_id: s for s in session.scalars(select(JobSchedule))}
    return [rows[job_id] for job_id in JOBS]


def get_schedule(session: Session, job_id: str) -> JobSchedule:
    if job_id not in JOBS:
        raise NotFound(f"there is no recurring job {job_id!r}")
    return next(s for s in schedules(session) if s.job_id == job_id)


def set_schedule(session: Session, actor: User, job_id: str, cron: str, enabled: bool) -> JobSchedule:
    """Change a job's schedule; the active scheduler picks the change up within seconds."""
    schedule = get_schedule(session, job_id)
    cron = " ".join(cron.split())
    trigger(cron)
    changes = apply(schedule, {"cron": cron, "enabled": enabled})
    schedule.changed_at = dt.datetime.now(dt.UTC)
    record(session, actor, "schedule", "job", job_id, changes)
    session.commit()
    return schedule


def request_run_now(session: Session, actor: User, job_id: str) -> JobSchedule:
    """Ask the active scheduler to run a job now (once, however often it is asked before it starts)."""
    schedule = get_schedule(session, job_id)
    record(session, actor, "run-now", "job", job_id, apply(schedule, {"run_now_requested_at": dt.datetime.now(dt.UTC)}))
    session.commit()
    return schedule


def take_run_now_requests(session: Session) -> list[str]:
    """Clear and return the jobs someone asked to run now (the active scheduler calls this)."""
    wanted = list(session.scalars(select(JobSchedule.job_id).where(JobSchedule.run_now_requested_at.is_not(None))))
    if wanted:
        session.execute(update(JobSchedule).where(JobSchedule.job_id.in_(wanted)).values(run_now_requested_at=None))
        session.commit()
    return wanted


def last_runs(session: Session) -> dict[str, JobRun]:
    """Each job's latest run."""
    out: dict[str, JobRun] = {}
    for run in session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(200)):
        out.setdefault(run.job_id, run)
    return out


def fail_interrupted_job_runs(session: Session) -> int:
    """Mark job runs left running by a scheduler that died as failed (their work was never committed)."""
    left = list(session.scalars(select(JobRun).where(JobRun.status == "running")))
    for run in left:
        _end(run, "failed", INTERRUPTED)
        record(session, "scheduler", "fail", "job", run.job_id, {"job_run": run.id, "status": ["running", "failed"]},
               reason=INTERRUPTED)
    session.commit()
    return len(left)


def _end(run: JobRun, status: str, message: str = "", outcome: dict[str, Any] | None = None) -> None:
    run.status, run.active, run.finished_at, run.message = status, None, dt.datetime.now(dt.UTC), message
    if outcome is not None:
        run.outcome = outcome


def run_job(job_id: str, database_url: str | None = None, trigger: str = "schedule") -> None:
    """The scheduler's entry point: run one recurring job by id. Never raises; never runs a job twice at once."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            execute_job(session, job_id, trigger)
    finally:
        engine.dispose()


def execute_job(session: Session, job_id: str, trigger: str = "schedule", now: dt.datetime | None = None) -> JobRun:
    """Run a job in `session`: its work and its record are committed together, or neither is."""
    job = JOBS[job_id]
    schedule = get_schedule(session, job_id)
    run = JobRun(job_id=job_id, trigger=trigger, status="running", active=True)
    session.add(run)
    try:
        session.commit()
    except IntegrityError:  # the database's guard: this job is running already
        session.rollback()
        run = JobRun(job_id=job_id, trigger=trigger, status="skipped", active=None,
                     finished_at=dt.datetime.now(dt.UTC), message="already running")
        session.add(run)
        session.commit()
        return run
    drop_queued(session)
    try:
        outcome = job.work(session, schedule, now or dt.datetime.now(dt.UTC))
        _end(run, "skipped" if "skipped" in outcome else "finished", str(outcome.get("skipped", "")), outcome)
        record(session, "scheduler", "run", "job", job_id,
               {"job_run": run.id, "status": ["running", run.status], "outcome": [None, outcome]}, reason=trigger)
        session.commit()
    except Exception as e:
        log.exception("recurring job %s failed", job_id)
        session.rollback()
        run = session.get(JobRun, run.id) or run
        _end(run, "failed", (str(e).strip() or type(e).__name__).splitlines()[0][:500])
        record(session, "scheduler", "fail", "job", job_id, {"job_run": run.id, "status": ["running", "failed"]},
               reason=run.message)
        session.commit()
        return run
    send_queued(session)
    return run


def next_runs(session: Session) -> dict[str, dt.datetime | None]:
    """Each job's next run as the job store holds it (computed from its schedule when no scheduler ran yet)."""
    from pool.models import apscheduler_jobs

    stored = {job_id: dt.datetime.fromtimestamp(t, dt.UTC) if t is not None else None
              for job_id, t in session.execute(select(apscheduler_jobs.c.id, apscheduler_jobs.c.next_run_time))}
    now = dt.datetime.now(dt.UTC)
    return {s.job_id: stored[s.job_id] if s.job_id in stored else
            (trigger(s.cron).get_next_fire_time(None, now) if s.enabled else None) for s in schedules(session)}
