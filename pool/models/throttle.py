"""Failed log-in attempts, counted per user name and per client address, to slow down guessing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pool.models.base import Base


class LoginThrottle(Base):
    """Recent failures for one key ("user:<name>" or "addr:<ip>") and until when it is locked."""

    __tablename__ = "login_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[dt.datetime]
    locked_until: Mapped[dt.datetime | None]

    def __repr__(self) -> str:
        return f"<LoginThrottle {self.key} {self.failures} until {self.locked_until}>"
