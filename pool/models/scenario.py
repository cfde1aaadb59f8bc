"""What-if scenarios: a stored copy of the situation, the changes made to it, and the plan made of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pool.models.account import User
from pool.models.base import Base, utcnow


class Scenario(Base):
    """A copy of the situation (pool-instance/1) with changes; never touches real requests, people or plans."""

    __tablename__ = "scenario"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The copy as it was when the scenario was made, and its plan: large at L, so loaded only when read.
    situation: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)  # pool-plan/1 of the last run
    planned_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Scenario {self.id} {self.name!r} {len(self.changes)} changes>"
