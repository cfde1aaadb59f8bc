"""The job scheduler: one active process runs planner runs and the recurring jobs; any other one waits.

Who is active is decided by the database: on PostgreSQL a session advisory lock held on a connection of its
own (the server lets go the moment that process dies, however it dies), on SQLite a lease row that the active
scheduler renews every second and a waiting one takes when it has expired. The active scheduler writes a
heartbeat to the lease row either way (for /healthz and the jobs page).

Recurring jobs live in APScheduler's SQLAlchemy job store in the application database, so their next run
times survive a restart (a job missed while no scheduler ran runs once when one comes back). Planner runs are
rows of their own: the web records one as queued and the active scheduler takes it from there.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Connection, Engine, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pool.db import make_engine, make_session_factory
from pool.models import JobSchedule, SchedulerLease
from pool.services import jobs, runs

log = logging.getLogger(__name__)

LEASE = "scheduler"
LEASE_SECONDS = 10.0
TICK_SECONDS = 1.0
ADVISORY_KEY = 0x706F6F6C  # "pool"
MISFIRE_GRACE_SECONDS = 6 * 3600


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Leadership:
    """The right to be the one active scheduler, and its heartbeat."""

    def __init__(self, engine: Engine, holder: str) -> None:
        self.engine, self.holder = engine, holder
        self.lock_connection: Connection | None = None

    def try_acquire(self) -> bool:
        """Become the active scheduler if nobody is; never blocks."""
        if self.engine.dialect.name == "postgresql":
            if self.lock_connection is not None:  # still ours (a take-over that broke half-way): keep it
                self._beat(take=True)
                return True
            connection = self.engine.connect()
            got = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()  # the lock belongs to the connection, not to a transaction
            if not got:
                connection.close()
                return False
            self.lock_connection = connection
            self._beat(take=True)
            return True
        self._free_if_holder_died()
        return self._beat(take=False)

    def _free_if_holder_died(self) -> None:
        """A lease held by a process of this machine that is gone is free now, not when it expires."""
        with self.engine.begin() as conn:
            holder = conn.scalar(select(SchedulerLease.holder).where(SchedulerLease.name == LEASE))
            host, _, rest = (holder or "").partition(":")
            pid = rest.partition(":")[0]
            if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
                return
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                conn.execute(update(SchedulerLease).where(SchedulerLease.name == LEASE,
                                                          SchedulerLease.holder == holder).values(expires_at=None))
            except PermissionError:
                pass

    def renew(self) -> bool:
        """Say we are alive; False when leadership was lost (the lock's connection broke, the lease was taken)."""
        if self.lock_connection is not None:
            try:
                self.lock_connection.scalar(text("SELECT 1"))
                self.lock_connection.commit()
            except SQLAlchemyError:
                log.error("lost the connection that holds the scheduler lock")
                self.lock_connection = None
                return False
            self._beat(take=True)
            return True
        return self._beat(take=False)

    def release(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(SchedulerLease).where(SchedulerLease.name == LEASE,
                                                      SchedulerLease.holder == self.holder)
                         .values(expires_at=None, holder=""))
        if self.lock_connection is not None:
            # close() only hands the connection back to the pool, where the session lock would live on
            try:
                self.lock_connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
                self.lock_connection.commit()
            finally:
                self.lock_connection.invalidate()
                self.lock_connection.close()
                self.lock_connection = None

    def _beat(self, take: bool) -> bool:
        """Write the heartbeat; unless `take` (the lock is ours), only while the lease is ours or has expired."""
        now = _now()
        lease = update(SchedulerLease).where(SchedulerLease.name == LEASE).values(
            holder=self.holder, heartbeat_at=now, expires_at=now + dt.timedelta(seconds=LEASE_SECONDS))
        if not take:
            lease = lease.where((SchedulerLease.holder == self.holder) | SchedulerLease.expires_at.is_(None)
                                | (SchedulerLease.expires_at < now))
        with self.engine.begin() as conn:
            if conn.execute(lease).rowcount == 1:
                return True
            exists = conn.scalar(select(func.count()).select_from(SchedulerLease).where(SchedulerLease.name == LEASE))
        if exists:
            return False
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(SchedulerLease).values(name=LEASE, holder="", expires_at=None))
        except IntegrityError:
            pass
        return self._beat(take)


def heartbeat(session: Any) -> SchedulerLease | None:
    """The lease row: who the active scheduler is and when it last beat (None when none ever ran)."""
    return session.get(SchedulerLease, LEASE)  # type: ignore[no-any-return]


class SchedulerService:
    """Waits to become the active scheduler, then runs jobs until told to stop or until it loses the lead."""

    def __init__(self, database_url: str | None = None, holder: str | None = None) -> None:
        self.engine = make_engine(database_url)
        self.url = self.engine.url.render_as_string(hide_password=False)
        self.sessions = make_session_factory(self.engine)
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.leadership = Leadership(self.engine, self.holder)
        self.stopping = threading.Event()
        self.poke = threading.Event()
        self.scheduler: BackgroundScheduler | None = None
        self.submitted: set[int] = set()
        self.synced_at: object = object()
        self.thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return self.scheduler is not None

    def start_thread(self) -> None:
        """Run in a background thread (the web process's embedded scheduler)."""
        self.thread = threading.Thread(target=self.run, daemon=True, name="pool-scheduler")
        self.thread.start()

    def wake(self) -> None:
        """Look for new work now instead of at the next tick."""
        self.poke.set()

    def stop(self) -> None:
        self.stopping.set()
        self.poke.set()
        if self.thread is not None:
            self.thread.join(15)

    def run(self) -> None:
        """The loop: try to lead; while leading, beat and hand new work to APScheduler."""
        waiting_said = False
        try:
            while not self.stopping.is_set():
                try:
                    if not self.active:
                        if self.leadership.try_acquire():
                            self._take_over()
                        elif not waiting_said:
                            log.warning("another scheduler is active; %s waits to take over", self.holder)
                            waiting_said = True
                    elif not self.leadership.renew():
                        self._step_down()
                    else:
                        self._tick()
                except SQLAlchemyError:
                    log.exception("the scheduler could not reach the database; trying again")
                self.poke.wait(TICK_SECONDS)
                self.poke.clear()
        finally:
            self._step_down()
            self.engine.dispose()

    def _take_over(self) -> None:
        log.warning("scheduler %s is now the active scheduler", self.holder)
        with self.sessions() as session:
            failed = runs.fail_interrupted_runs(session) + jobs.fail_interrupted_job_runs(session)
            jobs.schedules(session)
        if failed:
            log.warning("marked %s run(s) that the previous scheduler left unfinished as failed", failed)
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.engine, tablename="apscheduler_jobs"),
                       "runs": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(max_workers=1), "runs": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
            timezone="UTC",
        )
        self.scheduler.start()
        self.submitted.clear()
        self.synced_at = object()
        self._tick()

    def _step_down(self) -> None:
        if self.scheduler is None:
            if self.leadership.lock_connection is not None:  # the lock was taken, the take-over did not finish
                self.leadership.release()
            return
        log.warning("scheduler %s stops being the active scheduler", self.holder)
        self.scheduler.shutdown(wait=False)
        self.scheduler = None
        try:
            self.leadership.release()
        except SQLAlchemyError:
            log.warning("could not release the scheduler lease", exc_info=True)

    def _tick(self) -> None:
        assert self.scheduler is not None
        with self.sessions() as session:
            for run_id in runs.queued_run_ids(session):
                if run_id not in self.submitted:
                    self.submitted.add(run_id)
                    self.scheduler.add_job(runs.execute_run, args=[run_id, self.url], id=f"planner-run-{run_id}",
                                           name=f"planner run {run_id}", jobstore="runs", executor="runs")
            for job_id in jobs.take_run_now_requests(session):
                self.scheduler.add_job(jobs.run_job, args=[job_id, self.url, "run-now"], id=f"{job_id}-now",
                                       name=f"{job_id} (run now)", jobstore="runs", replace_existing=True)
            changed = session.scalar(select(func.max(JobSchedule.changed_at)))
            if changed != self.synced_at:
                self._sync(list(session.scalars(select(JobSchedule))))
                self.synced_at = changed

    def _sync(self, rows: list[JobSchedule]) -> None:
        """Make the job store hold each enabled job with its schedule; keep next run times that still hold."""
        assert self.scheduler is not None
        for row in rows:
            stored = self.scheduler.get_job(row.job_id, jobstore="default")
            if not row.enabled:
                if stored is not None:
                    stored.remove()
                continue
            wanted = jobs.trigger(row.cron)
            if stored is not None and str(stored.trigger) == str(wanted):
                continue
            self.scheduler.add_job(jobs.run_job, wanted, args=[row.job_id, self.url], id=row.job_id,
                                   name=row.job_id, replace_existing=True)

    def next_run_times(self) -> dict[str, dt.datetime | None]:
        if self.scheduler is None:
            return {}
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs(jobstore="default")}
