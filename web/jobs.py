"""The web tier's link to the scheduler: planner runs are recorded by a view and executed by a job."""

from __future__ import annotations

import threading

from flask import Flask, current_app

from pool.scheduler import make_scheduler, submit_run

_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """`SCHEDULER` is "embedded" (this process runs the jobs, the default) or "off" (someone else does)."""
    app.config.setdefault("SCHEDULER", "embedded")


def run_in_background(run_id: int) -> None:
    """Have the scheduler execute a recorded run; the embedded scheduler starts with the first run."""
    app = current_app
    if app.config["SCHEDULER"] != "embedded":
        return
    with _lock:
        scheduler = app.extensions.get("pool_scheduler")
        if scheduler is None:
            scheduler = app.extensions["pool_scheduler"] = make_scheduler()
            scheduler.start()
    submit_run(scheduler, run_id, app.config["DATABASE_URL"])


def shutdown(app: Flask) -> None:
    """Stop the embedded scheduler, if it was started (tests and a clean server exit)."""
    scheduler = app.extensions.pop("pool_scheduler", None)
    if scheduler is not None:
        scheduler.shutdown(wait=True)
