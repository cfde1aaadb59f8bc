"""The `pool` command with the web layer on top: the domain commands of pool.cli plus `pool serve`."""

from __future__ import annotations

import os

import click

from pool.cli import main
from pool.db import is_initialised, make_engine
from pool.errors import PoolError

__all__ = ["main"]


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=5000, show_default=True, help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Start the web application on the configured database (development server)."""
    from web import create_app

    engine = make_engine()
    if not is_initialised(engine):
        raise PoolError("the database is not set up yet: run `pool init` or `pool demo` first")
    from pool.db import make_session_factory
    from pool.services.runs import fail_interrupted_runs

    with make_session_factory(engine)() as session:
        interrupted = fail_interrupted_runs(session)
    engine.dispose()
    if interrupted:
        click.echo(f"marked {interrupted} planner run(s) that the last server left unfinished as failed", err=True)
    # The development server speaks plain http, where a Secure cookie would never come back; production
    # (https behind gunicorn) keeps the default unless POOL_SESSION_COOKIE_SECURE says otherwise.
    plain_http = None if "POOL_SESSION_COOKIE_SECURE" in os.environ else {"SESSION_COOKIE_SECURE": False}
    create_app(plain_http).run(host=host, port=port)
