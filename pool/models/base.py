"""Declarative base and shared column helpers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, MetaData, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: DateTime(timezone=True)}


# The largest value an INTEGER column holds on PostgreSQL (and the bound for ids anywhere they come in).
MAX_INT = 2**31 - 1


def version_column() -> Mapped[int]:
    """Return a row version column: SQLAlchemy counts it up on every UPDATE and refuses a stale one."""
    return mapped_column(default=1, server_default=text("1"))


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)
