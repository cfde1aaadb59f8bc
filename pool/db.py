"""Database engine, sessions and schema upgrades."""

from __future__ import annotations

import os
from importlib.resources import as_file, files

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from pool.errors import PoolError

DEFAULT_URL = "sqlite:///pool.db"


def database_url() -> str:
    """Return the configured database URL: POOL_DATABASE_URL, else a SQLite file in the working folder."""
    return os.environ.get("POOL_DATABASE_URL") or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    """Create an engine; SQLite gets foreign keys switched on."""
    url = url or database_url()
    try:
        # SQLite lets one writer in at a time; the others wait for it (30 s) rather than fail at once.
        engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    except (ArgumentError, ImportError) as e:
        shown = make_url(url).render_as_string(hide_password=True) if "://" in url else url[:80]
        raise PoolError(
            f"cannot use the database {shown}: {str(e).splitlines()[0][:200]}; "
            "use sqlite:///FILE or postgresql+psycopg://USER@HOST/NAME"
        ) from e
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to an engine."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic configuration that migrates the given engine."""
    cfg = Config()
    with as_file(files("migrations")) as path:
        cfg.set_main_option("script_location", str(path))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Create the schema, or bring it up to the newest migration."""
    command.upgrade(alembic_config(engine), "head")


def is_initialised(engine: Engine) -> bool:
    """Return whether the schema exists in the database."""
    return inspect(engine).has_table("alembic_version")
