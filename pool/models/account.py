"""User accounts with a role, and the audit trail of every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pool.models.base import Base, utcnow
from pool.models.organisation import Municipality
from pool.models.specialist import Specialist

ROLES = ("team_lead", "specialist", "coordinator")


class User(Base):
    """A person who logs in: a team lead of one municipality, a specialist or a coordinator."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("role IN ('team_lead', 'specialist', 'coordinator')", name="role"),
        CheckConstraint("role != 'team_lead' OR municipality_id IS NOT NULL", name="team_lead_municipality"),
        CheckConstraint("role != 'specialist' OR specialist_id IS NOT NULL", name="specialist_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("specialist.id"), unique=True)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    active: Mapped[bool] = mapped_column(default=True)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Counted up by logout, password change and reset: every session cookie of an older one stops working.
    session_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    municipality: Mapped[Municipality | None] = relationship()
    specialist: Mapped[Specialist | None] = relationship()

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class AuditEvent(Base):
    """Who changed what, when and why."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[str] = mapped_column(String(200))  # username, or "cli" / "scheduler"
    action: Mapped[str] = mapped_column(String(80))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(60), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.entity}:{self.entity_id} by {self.actor}>"
