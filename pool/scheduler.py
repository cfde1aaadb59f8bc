"""The job scheduler (APScheduler): runs planner runs, and later the recurring jobs, outside web requests.

Jobs are plain functions called by id with plain arguments (a run id and the database URL), so the same job
can run in the web process (the embedded default) or in a scheduler process of its own.
"""

from __future__ import annotations

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from pool.services.runs import execute_run


def make_scheduler() -> BackgroundScheduler:
    """Return a scheduler (not yet started) that runs one job at a time, each job once."""
    return BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone="UTC",
    )


def submit_run(scheduler: BackgroundScheduler, run_id: int, database_url: str) -> None:
    """Hand a recorded planner run to the scheduler; it runs as soon as the executor is free."""
    scheduler.add_job(execute_run, args=[run_id, database_url], id=f"planner-run-{run_id}",
                      name=f"planner run {run_id}", replace_existing=True)
