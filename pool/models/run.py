"""Planner runs: jobs that plan the situation in the background and leave a draft plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pool.models.account import User
from pool.models.base import Base, utcnow
from pool.models.plan import Plan
from pool.models.scenario import Scenario

RUN_STATUSES = ("queued", "running", "finished", "failed", "stopped")
RUN_METHODS = ("planner", "greedy")
ACTIVE_RUN_STATUSES = ("queued", "running")


class PlannerRun(Base):
    """One run of the planner: its parameters, who started it, its progress and the draft it left."""

    __tablename__ = "planner_run"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'finished', 'failed', 'stopped')", name="status"),
        CheckConstraint("method IN ('planner', 'greedy')", name="method"),
        # `active` is TRUE while the run is queued or running and NULL afterwards: the unique constraint lets
        # the database itself refuse a second active run (NULLs never collide, on SQLite and PostgreSQL).
        UniqueConstraint("active"),
        CheckConstraint("active IS NULL OR active", name="active_true_or_null"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    active: Mapped[bool | None] = mapped_column(default=True)
    method: Mapped[str] = mapped_column(String(10))
    time_limit: Mapped[float]
    frozen_weeks: Mapped[int] = mapped_column(default=0)
    base_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    stop_requested: Mapped[bool] = mapped_column(default=False)
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text, default="")
    # A run of a what-if scenario plans the scenario's copy of the situation and leaves its plan there.
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenario.id", ondelete="CASCADE"), index=True)

    started_by: Mapped[User | None] = relationship()
    plan: Mapped[Plan | None] = relationship(foreign_keys=[plan_id])
    base_plan: Mapped[Plan | None] = relationship(foreign_keys=[base_plan_id])
    scenario: Mapped[Scenario | None] = relationship()

    @property
    def ended(self) -> bool:
        return self.status not in ACTIVE_RUN_STATUSES

    def __repr__(self) -> str:
        return f"<PlannerRun {self.id} {self.method} {self.status}>"
