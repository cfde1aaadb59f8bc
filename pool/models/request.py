"""Requests for pooled expertise and the needs they consist of."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pool.models.base import Base, utcnow, version_column
from pool.models.organisation import Municipality, Skill
from solver.instance import PRIORITY_NAMES

REQUEST_STATUSES = ("draft", "submitted", "approved", "rejected", "planned", "done", "cancelled")
PRIORITIES = PRIORITY_NAMES


class Request(Base):
    """A municipality's request for expertise within a window of weeks."""

    __tablename__ = "request"
    __table_args__ = (
        CheckConstraint("first_week <= last_week", name="window"),
        CheckConstraint("priority BETWEEN 1 AND 4", name="priority"),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'rejected', 'planned', 'done', 'cancelled')",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    first_week: Mapped[dt.date]  # Monday of the first week of the window
    last_week: Mapped[dt.date]  # Monday of the last week, inclusive
    max_hours_per_week: Mapped[int]
    priority: Mapped[int] = mapped_column(default=3)
    allow_partner: Mapped[bool] = mapped_column(default=False)
    all_or_nothing: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    municipality: Mapped[Municipality] = relationship()
    needs: Mapped[list[Need]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Need.position"
    )

    def __repr__(self) -> str:
        return f"<Request {self.code} {self.status}>"


class Need(Base):
    """One skill at a minimum level for a number of hours, within a request."""

    __tablename__ = "need"
    __table_args__ = (
        UniqueConstraint("request_id", "position"),
        CheckConstraint("min_level BETWEEN 1 AND 5", name="min_level"),
        CheckConstraint("hours >= 0", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # index within the request, from 0
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    min_level: Mapped[int]
    hours: Mapped[int]
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    request: Mapped[Request] = relationship(back_populates="needs")
    skill: Mapped[Skill] = relationship()

    def __repr__(self) -> str:
        return f"<Need {self.request_id}#{self.position} {self.skill_id}>={self.min_level} {self.hours} h>"
