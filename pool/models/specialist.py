"""Specialists, their skill levels and their unavailability."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pool.models.base import Base, version_column
from pool.models.organisation import Municipality, Skill

SPECIALIST_KINDS = ("internal", "partner")
UNAVAILABILITY_KINDS = ("leave", "home-duty")


class Specialist(Base):
    """A pooled specialist of a municipality, or a consultant of the knowledge partner."""

    __tablename__ = "specialist"
    __table_args__ = (
        CheckConstraint("kind IN ('internal', 'partner')", name="kind"),
        CheckConstraint("(kind = 'partner') = (municipality_id IS NULL)", name="home_matches_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default="internal")
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    pool_hours_per_week: Mapped[int]
    hourly_cost: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    municipality: Mapped[Municipality | None] = relationship()
    skills: Mapped[list[SpecialistSkill]] = relationship(
        back_populates="specialist", cascade="all, delete-orphan"
    )
    unavailability: Mapped[list[Unavailability]] = relationship(
        back_populates="specialist", cascade="all, delete-orphan", order_by="Unavailability.start_date"
    )

    def __repr__(self) -> str:
        return f"<Specialist {self.code} {self.name}>"


class SpecialistSkill(Base):
    """A specialist's level (1-5) in one skill of the catalogue."""

    __tablename__ = "specialist_skill"
    __table_args__ = (
        UniqueConstraint("specialist_id", "skill_id"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialist.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), index=True)
    level: Mapped[int]

    specialist: Mapped[Specialist] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()

    def __repr__(self) -> str:
        return f"<SpecialistSkill {self.specialist_id}:{self.skill_id}={self.level}>"


class Unavailability(Base):
    """Hours per week a specialist is away from the pool (leave or home duty) over a date range."""

    __tablename__ = "unavailability"
    __table_args__ = (CheckConstraint("start_date <= end_date", name="range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    specialist_id: Mapped[int] = mapped_column(ForeignKey("specialist.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="leave")
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    hours_per_week: Mapped[int]
    note: Mapped[str] = mapped_column(String(500), default="")

    specialist: Mapped[Specialist] = relationship(back_populates="unavailability")

    def __repr__(self) -> str:
        return f"<Unavailability {self.kind} {self.start_date}..{self.end_date} {self.hours_per_week} h/wk>"
