"""Plans made by the planner and the assignments they hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pool.models.base import Base, utcnow, version_column
from pool.models.request import Need
from pool.models.specialist import Specialist

PLAN_STATUSES = ("draft", "published", "superseded")


class Plan(Base):
    """A plan over a horizon: draft, then published, then superseded by the next."""

    __tablename__ = "plan"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'superseded')", name="status"),
        # At most one plan in force, whatever two publishes overlap: the database refuses the second.
        Index("uq_plan_one_published", "status", unique=True, sqlite_where=text("status = 'published'"),
              postgresql_where=text("status = 'published'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    horizon_start: Mapped[dt.date]
    horizon_weeks: Mapped[int]
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    kpis: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    solver: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_at: Mapped[dt.datetime | None]
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    unmet: Mapped[list[UnmetNeed]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="UnmetNeed.id"
    )

    def __repr__(self) -> str:
        return f"<Plan {self.id} {self.status}>"


class Assignment(Base):
    """Hours of one specialist on one need in one week."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("plan_id", "need_id", "specialist_id", "week"),
        CheckConstraint("hours >= 1", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), index=True)
    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialist.id"), index=True)
    week: Mapped[dt.date]  # Monday of the week
    hours: Mapped[int]
    pinned: Mapped[bool] = mapped_column(default=False)
    pin_reason: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="assignments")
    need: Mapped[Need] = relationship()
    specialist: Mapped[Specialist] = relationship()

    def __repr__(self) -> str:
        return f"<Assignment need={self.need_id} spec={self.specialist_id} {self.week} {self.hours} h>"


class UnmetNeed(Base):
    """Hours of a need that a plan leaves unfilled, with the planner's reason."""

    __tablename__ = "unmet_need"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), index=True)
    hours: Mapped[int]
    reason: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="unmet")
    need: Mapped[Need] = relationship()

    def __repr__(self) -> str:
        return f"<UnmetNeed need={self.need_id} {self.hours} h {self.reason}>"
