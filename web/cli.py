"""The `pool` command with the web layer on top: the domain commands of pool.cli plus `pool serve`."""

from __future__ import annotations

import os
from typing import Any

import click

from pool.cli import main
from pool.db import is_initialised, make_engine
from pool.errors import PoolError

__all__ = ["main"]


def _gunicorn(app_factory: Any, options: dict[str, Any]) -> None:
    """Serve the app with gunicorn, each worker building its own app (and its own database pool)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app_factory()

    Server().run()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=5000, show_default=True, help="Port to listen on.")
@click.option("--bind", default=None, help="gunicorn bind address(es), e.g. 0.0.0.0:8000 (overrides host/port).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="gunicorn workers.")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True, help="Threads per worker.")
@click.option("--dev", is_flag=True, help="Use Flask's development server (one process, plain http).")
def serve(host: str, port: int, bind: str | None, workers: int, threads: int, dev: bool) -> None:
    """Start the web application on the configured database under gunicorn (or Flask's server with --dev)."""
    from web import create_app, jobs

    engine = make_engine()
    if not is_initialised(engine):
        raise PoolError("the database is not set up yet: run `pool init` or `pool demo` first")
    engine.dispose()
    # Plain http (development, or loopback behind a TLS proxy) would never get a Secure cookie back; set
    # POOL_SESSION_COOKIE_SECURE=1 when the browser talks https to this server.
    plain_http = None if "POOL_SESSION_COOKIE_SECURE" in os.environ else {"SESSION_COOKIE_SECURE": False}

    def app_factory() -> Any:
        app = create_app(plain_http)
        jobs.start(app)  # the embedded scheduler, unless POOL_SCHEDULER=external: one worker wins the lead
        return app

    if dev:
        app_factory().run(host=host, port=port)
        return
    _gunicorn(app_factory, gunicorn_options(bind or f"{host}:{port}", workers, threads))


# Common Log Format, then the time taken in milliseconds and the worker's pid (e.g. `... 42ms <1234>`).
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %(p)s'


def gunicorn_options(bind: str, workers: int, threads: int) -> dict[str, Any]:
    """The gunicorn settings of `pool serve`.

    A worker takes a connection only when it has a thread free for it (worker_connections = threads) and
    closes every connection after its answer (no keep-alive): the next request is accepted by whichever worker
    is free. With keep-alive, a connection stays with the worker that accepted it, and Linux hands a burst of
    new connections mostly to one worker: under load that worker served nearly every session while the
    others idled (bench/load.py, README "Under load").
    """
    return {"bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread",
            "worker_connections": threads, "keepalive": 0, "timeout": 60, "graceful_timeout": 5,
            "control_socket_disable": True, "accesslog": os.environ.get("POOL_ACCESS_LOG") or None,
            "access_log_format": ACCESS_LOG_FORMAT, "errorlog": "-"}
