"""Failed log-in attempts, counted per key, and until when the next attempt of that key waits."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from pool.models.base import Base


class LoginThrottle(Base):
    """Recent failures for one key ("pair:<name>|<address>" or "user:<name>"); times in Unix seconds.

    Whole seconds as integers let one UPDATE statement count and compare atomically on SQLite and PostgreSQL.
    """

    __tablename__ = "login_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_attempt: Mapped[int] = mapped_column(BigInteger, default=0)
    wait_until: Mapped[int] = mapped_column(BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<LoginThrottle {self.key} {self.failures} until {self.wait_until}>"
