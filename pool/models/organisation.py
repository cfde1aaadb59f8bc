"""The cooperation, its municipalities, the skill catalogue and the partner contract."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pool.models.base import Base, version_column


class Cooperation(Base):
    """The one cooperation this database plans for, with its planning horizon."""

    __tablename__ = "cooperation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    horizon_start: Mapped[dt.date]
    horizon_weeks: Mapped[int]
    frozen_weeks: Mapped[int] = mapped_column(default=2)
    # What one pool hour is worth between partners when the ledger is settled, in whole euros.
    internal_hourly_rate: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Cooperation {self.name!r} from {self.horizon_start} for {self.horizon_weeks} weeks>"


class Municipality(Base):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # CBS code, e.g. GM0505
    name: Mapped[str] = mapped_column(String(200))

    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="municipality", cascade="all, delete-orphan", order_by="Contribution.valid_from"
    )

    def committed_hours(self, on: dt.date) -> int:
        """Return the pool hours per week this municipality has committed on a date."""
        for c in self.contributions:
            if c.valid_from <= on and (c.valid_to is None or on <= c.valid_to):
                return c.hours_per_week
        return 0

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"


class Contribution(Base):
    """A municipality's committed pool hours per week over a period."""

    __tablename__ = "contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    hours_per_week: Mapped[int]
    valid_from: Mapped[dt.date]
    valid_to: Mapped[dt.date | None]
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    municipality: Mapped[Municipality] = relationship(back_populates="contributions")

    def __repr__(self) -> str:
        return f"<Contribution {self.hours_per_week} h/wk {self.valid_from}..{self.valid_to}>"


class Skill(Base):
    """An entry of the one shared skill catalogue."""

    __tablename__ = "skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Skill {self.code}>"


class PartnerContract(Base):
    """The contract with the external knowledge partner."""

    __tablename__ = "partner_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    budget_hours: Mapped[int]
    hourly_rate: Mapped[int] = mapped_column(default=0)
    min_notice_weeks: Mapped[int] = mapped_column(default=1)
    valid_from: Mapped[dt.date]
    valid_to: Mapped[dt.date | None]
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<PartnerContract {self.name!r} {self.budget_hours} h>"
