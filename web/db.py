"""One database session per request, closed when the request ends."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from pool.db import make_engine, make_session_factory


def init_app(app: Flask) -> None:
    """Create the engine for the configured database and close each request's session."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["pool_engine"] = engine
    app.extensions["pool_sessions"] = make_session_factory(engine)
    app.teardown_appcontext(_close)


def session() -> Session:
    """Return this request's session; services commit, the view only reads."""
    if "db" not in g:
        g.db = current_app.extensions["pool_sessions"]()
    return g.db  # type: ignore[no-any-return]


def own_session() -> Session:
    """A session of its own, for work that outlives the request's session (a streamed download); the caller
    closes it. (The request's session is closed when the view returns: a stream that went on using it opened
    a new transaction on it that nobody closed, and its connection was left to the garbage collector.)"""
    return current_app.extensions["pool_sessions"]()  # type: ignore[no-any-return]


def _close(_exc: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
