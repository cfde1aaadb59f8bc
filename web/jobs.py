"""The web tier's link to the scheduler: views record work (planner runs, "run now"); a scheduler does it.

`SCHEDULER` (POOL_SCHEDULER) is "embedded" (the default: this process also contends to be the active
scheduler, so one command gives a working product; of several gunicorn workers only one wins) or "external"
(`pool scheduler` runs the jobs; the web only records them). "off" is the same as external.
"""

from __future__ import annotations

import os
import threading

from flask import Flask, current_app

from pool.scheduler import SchedulerService

_lock = threading.Lock()
SCHEDULER_MODES = ("embedded", "external", "off")


def init_app(app: Flask) -> None:
    app.config.setdefault("SCHEDULER", os.environ.get("POOL_SCHEDULER", "embedded"))
    if app.config["SCHEDULER"] not in SCHEDULER_MODES:
        raise RuntimeError(f"POOL_SCHEDULER must be one of {', '.join(SCHEDULER_MODES)}, "
                           f"not {app.config['SCHEDULER'][:40]!r}")


def start(app: Flask) -> SchedulerService | None:
    """Start this process's embedded scheduler, if the app has one and it has not started yet."""
    if app.config["SCHEDULER"] != "embedded":
        return None
    with _lock:
        service = app.extensions.get("pool_scheduler")
        if service is None:
            service = app.extensions["pool_scheduler"] = SchedulerService(app.config["DATABASE_URL"])
            service.start_thread()
    return service  # type: ignore[no-any-return]


def run_in_background(run_id: int) -> None:
    """A run was recorded: make sure a scheduler here (if any) looks for it now."""
    service = start(current_app)
    if service is not None:
        service.wake()


def shutdown(app: Flask) -> None:
    """Stop the embedded scheduler, if it was started (tests and a clean server exit)."""
    service = app.extensions.pop("pool_scheduler", None)
    if service is not None:
        service.stop()
