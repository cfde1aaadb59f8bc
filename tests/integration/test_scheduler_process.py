"""`pool scheduler` as real processes: one active, a second idle until the first is killed, nothing run twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from pool.db import make_session_factory
from pool.models import AuditEvent, JobRun, Plan, PlannerRun, SchedulerLease, User
from pool.services import jobs, runs
from pool.services.demo import load_demo
from tests.conftest import empty_tables

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(engine: Engine) -> Iterator[Engine]:
    empty_tables(engine)
    with make_session_factory(engine)() as s:
        load_demo(s, "M", 1)  # its re-plan takes seconds: still going when the scheduler is killed
    yield engine
    empty_tables(engine)


def _scheduler(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "pool", "scheduler"], env=env, stdout=out, stderr=out,
                                start_new_session=True)


def _wait(what: str, check: Callable[[], Any], seconds: float = 90) -> Any:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds:.0f} s for {what}")


def _read(engine: Engine, f: Callable[[Session], Any]) -> Any:
    with make_session_factory(engine)() as s:
        return f(s)


def _holder(engine: Engine) -> str:
    lease = _read(engine, lambda s: s.get(SchedulerLease, "scheduler"))
    return lease.holder if lease is not None and lease.expires_at is not None else ""


def _waits(log: Path, process: subprocess.Popen[bytes]) -> bool:
    return any(f":{process.pid}:" in line and "waits to take over" in line for line in log.read_text().splitlines())


def _published(s: Session) -> tuple[int, list[tuple[int, int, str, int]]]:
    plan = s.scalars(select(Plan).where(Plan.status == "published")).one()
    return plan.id, sorted((a.need_id, a.specialist_id, a.week.isoformat(), a.hours) for a in plan.assignments)


def test_a_scheduler_killed_mid_job_leaves_it_failed_once_and_a_waiting_one_takes_over(
    demo: Engine, database_url: str, tmp_path: Path
) -> None:
    engine = demo
    env = os.environ | {"POOL_DATABASE_URL": database_url}
    log = tmp_path / "scheduler.log"
    before = _read(engine, _published)
    with make_session_factory(engine)() as s:
        coordinator = s.scalars(select(User).where(User.role == "coordinator")).first()
        first_run = runs.start_run(s, coordinator, "greedy", 5.0).id  # recorded before any scheduler runs
    first = _scheduler(env, log)
    second = None
    try:
        holder_a = _wait("the first scheduler to lead", lambda: _holder(engine))
        assert f":{first.pid}:" in holder_a
        second = _scheduler(env, log)
        _wait("the second scheduler to wait", lambda: _waits(log, second))
        _wait("the greedy run to finish", lambda: _read(engine, lambda s: s.get(PlannerRun, first_run).ended))
        with make_session_factory(engine)() as s:
            jobs.request_run_now(s, coordinator, "weekly-digest")
        _wait("the digest", lambda: _read(engine, lambda s: s.scalar(
            select(JobRun).where(JobRun.job_id == "weekly-digest", JobRun.status == "finished"))))
        with make_session_factory(engine)() as s:
            s.get(jobs.JobSchedule, "nightly-replan").state = {"time_limit": 300}
            s.commit()
            jobs.request_run_now(s, coordinator, "nightly-replan")
        nightly = _wait("the nightly re-plan to be solving", lambda: _read(engine, lambda s: s.scalar(
            select(PlannerRun.id).where(PlannerRun.status == "running"))))
        time.sleep(0.5)  # inside the solve
        assert _holder(engine) == holder_a  # the second one is still waiting
        assert second.poll() is None
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    try:
        holder_b = _wait("the second scheduler to take over", lambda: (h := _holder(engine)) != holder_a and h)
        assert second is not None and f":{second.pid}:" in holder_b
        _wait("the killed job to be marked", lambda: _read(engine, lambda s: s.get(PlannerRun, nightly).ended))
        restarted = _scheduler(env, log)  # started again: waits, since the second one leads now
        _wait("the restarted scheduler to wait", lambda: _waits(log, restarted))
        time.sleep(2)
        assert _holder(engine) == holder_b
    finally:
        for p in (second, locals().get("restarted")):
            if p is not None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(10)
    with make_session_factory(engine)() as s:
        killed = s.get(PlannerRun, nightly)
        assert killed.status == "failed" and killed.plan_id is None, killed.message
        assert s.get(PlannerRun, first_run).status == "finished"
        job_runs = {(r.job_id, r.status) for r in s.scalars(select(JobRun))}
        assert job_runs == {("weekly-digest", "finished"), ("nightly-replan", "failed")}
        # each run started and ended once: one audit line per transition, never two
        for run_id, ends in ((first_run, "finished"), (nightly, "fail")):
            for action in ("start", ends):
                n = s.scalar(select(func.count()).select_from(AuditEvent).where(
                    AuditEvent.entity == "planner_run", AuditEvent.entity_id == str(run_id),
                    AuditEvent.action == action))
                assert n == 1, (run_id, action)
        assert s.scalar(select(func.count()).select_from(Plan).where(Plan.status == "draft")) == 1  # the greedy one
        assert _published(s) == before
