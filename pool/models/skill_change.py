"""A specialist's proposed change of a skill level, waiting for a coordinator's decision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pool.models.base import Base, utcnow
from pool.models.organisation import Skill
from pool.models.specialist import Specialist

SKILL_CHANGE_STATUSES = ("pending", "approved", "rejected", "withdrawn")


class SkillChange(Base):
    """A new level (or removal, level 0) of one skill, proposed by the specialist."""

    __tablename__ = "skill_change"
    __table_args__ = (
        CheckConstraint("level BETWEEN 0 AND 5", name="level"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected', 'withdrawn')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialist.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    level: Mapped[int]  # 0 asks to remove the skill from the profile
    previous_level: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")

    specialist: Mapped[Specialist] = relationship()
    skill: Mapped[Skill] = relationship()

    def __repr__(self) -> str:
        return f"<SkillChange {self.specialist_id}:{self.skill_id} {self.previous_level}->{self.level} {self.status}>"
