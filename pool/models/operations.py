"""Running the product: recurring jobs and their runs, the scheduler's lease, and frozen monthly closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Float, LargeBinary, String, Table, Text, Unicode, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pool.models.base import Base, utcnow

JOB_RUN_STATUSES = ("running", "finished", "failed", "skipped")

# APScheduler's own job store table, declared here (same columns as its SQLAlchemyJobStore makes) so that the
# migrations create it and the schema helpers of the tests know it.
apscheduler_jobs = Table(
    "apscheduler_jobs", Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


class JobSchedule(Base):
    """A recurring job: its cron schedule (coordinators change it), whether it runs, a pending "run now"."""

    __tablename__ = "job_schedule"

    job_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    cron: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(default=True)
    run_now_requested_at: Mapped[dt.datetime | None]
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # what the job remembers between runs

    def __repr__(self) -> str:
        return f"<JobSchedule {self.job_id} {self.cron!r}>"


class JobRun(Base):
    """One execution of a recurring job; `active` is TRUE while it runs, so the database refuses a second."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job_id", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(10), default="running")
    active: Mapped[bool | None]
    trigger: Mapped[str] = mapped_column(String(20), default="schedule")  # schedule | run-now
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<JobRun {self.job_id} {self.status}>"


class SchedulerLease(Base):
    """Who is the active scheduler and when it last said so (the heartbeat; on SQLite also the lock)."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200), default="")
    heartbeat_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]

    def __repr__(self) -> str:
        return f"<SchedulerLease {self.name} {self.holder}>"


class LedgerClose(Base):
    """A month's ledger figures as they were when the month was closed; never recomputed afterwards."""

    __tablename__ = "ledger_close"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)  # YYYY-MM
    closed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_by: Mapped[str] = mapped_column(String(200))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    def __repr__(self) -> str:
        return f"<LedgerClose {self.month}>"
