"""Shared fixtures: a real database (SQLite, or POOL_TEST_DATABASE_URL) migrated once per run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from pool.db import make_engine, make_session_factory, upgrade
from pool.models import Base

SAMPLE = Path(__file__).resolve().parent / "data" / "tiny-instance.json"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the URL of the test database: POOL_TEST_DATABASE_URL, else a fresh SQLite file."""
    return os.environ.get("POOL_TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db')}/test.db"


def reset_schema(engine: Engine) -> None:
    """Drop everything in the test database, so migrations start from empty."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """Return an engine on a database migrated to the newest schema."""
    engine = make_engine(database_url)
    reset_schema(engine)
    upgrade(engine)
    yield engine
    engine.dispose()


def empty_tables(engine: Engine) -> None:
    """Delete every row, children first."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """Return a session on an empty database; the rows it leaves are deleted afterwards."""
    empty_tables(engine)
    with make_session_factory(engine)() as session:
        yield session
    empty_tables(engine)
