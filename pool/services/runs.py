"""Planner runs as jobs: the web records a run, a scheduler executes it, its progress lives in the database."""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import solver
from pool.db import make_engine, make_session_factory
from pool.errors import NotFound, PoolError
from pool.formats import validate_plan
from pool.models import (
    ACTIVE_RUN_STATUSES,
    RUN_METHODS,
    Plan,
    PlannerRun,
    Scenario,
    User,
)
from pool.services.audit import pairs, record
from pool.services.exchange import cooperation, export_instance, import_plan
from pool.services.plan_figures import plan_figures
from pool.services.scenarios import scenario_document, store_plan
from pool.translate import instance_from_document
from pool.weeks import week_index
from solver.config import PlanningConfig

log = logging.getLogger(__name__)

MAX_TIME_LIMIT = 3600.0
PROGRESS_EVERY_SECONDS = 1.0
INTERRUPTED = "The server stopped while this run was going; start it again."


def active_run(session: Session) -> PlannerRun | None:
    """Return the run that is queued or running, if there is one."""
    return session.scalars(select(PlannerRun).where(PlannerRun.status.in_(ACTIVE_RUN_STATUSES))).first()


def get_run(session: Session, run_id: int) -> PlannerRun:
    run = session.get(PlannerRun, run_id)
    if run is None:
        raise NotFound(f"there is no planner run {run_id}")
    return run


def list_runs(session: Session, limit: int = 20) -> list[PlannerRun]:
    return list(session.scalars(select(PlannerRun).order_by(PlannerRun.id.desc()).limit(limit)))


def _check_parameters(session: Session, method: str, time_limit: float, frozen_weeks: int) -> None:
    if method not in RUN_METHODS:
        raise PoolError(f"unknown planning method {method!r}; choose one of {', '.join(RUN_METHODS)}")
    if not math.isfinite(time_limit) or not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise PoolError("the time limit must be between 1 and %(max)s seconds", field="time_limit",
                        max=int(MAX_TIME_LIMIT))
    weeks = cooperation(session).horizon_weeks
    if not 0 <= frozen_weeks <= weeks:
        raise PoolError("frozen weeks must be between 0 and %(weeks)s, the weeks of the horizon", field="frozen_weeks",
                        weeks=weeks)


def start_run(
    session: Session,
    actor: User | None,
    method: str = "planner",
    time_limit: float = 30.0,
    frozen_weeks: int = 0,
    base_plan_id: int | None = None,
    scenario_id: int | None = None,
) -> PlannerRun:
    """Record a queued run; refuse while another run is queued or running. The caller hands it to a scheduler."""
    _check_parameters(session, method, time_limit, frozen_weeks)
    if base_plan_id is not None:
        base = session.get(Plan, base_plan_id)
        if base is None:
            raise NotFound(f"there is no plan {base_plan_id}")
        if base.status != "draft":
            raise PoolError("plan %(plan)s is %(status)s; a run starts from a draft or from the situation",
                            plan=str(base_plan_id), status=base.status)
    if scenario_id is not None:
        if session.get(Scenario, scenario_id) is None:
            raise NotFound(f"there is no scenario {scenario_id}")
        if base_plan_id is not None:
            raise PoolError("a scenario is planned from its own copy of the situation, not from a draft")
    busy = active_run(session)
    if busy is not None:
        raise RunBusy(busy)
    run = PlannerRun(method=method, time_limit=float(time_limit), frozen_weeks=frozen_weeks,
                     base_plan_id=base_plan_id, scenario_id=scenario_id, started_by=actor, status="queued",
                     active=True)
    session.add(run)
    try:
        session.flush()
        record(session, actor or "scheduler", "start", "planner_run", run.id,
               {"method": method, "time_limit": time_limit, "frozen_weeks": frozen_weeks, "base_plan": base_plan_id,
                "scenario": scenario_id, "status": [None, "queued"]})
        session.commit()
    except IntegrityError:  # another coordinator started one at the same moment
        session.rollback()
        busy = active_run(session)
        raise RunBusy(busy) if busy else PoolError("another planner run is starting; try again") from None
    return run


class RunBusy(PoolError):
    """Another run is queued or running; only one runs at a time."""

    def __init__(self, run: PlannerRun) -> None:
        self.run = run
        who = run.started_by.name if run.started_by else "someone"
        super().__init__(f"planner run {run.id}, started by {who}, is still {run.status}; "
                         "wait until it ends or stop it before starting another")


def request_stop(session: Session, run_id: int, actor: User) -> PlannerRun:
    """Ask a run to stop: a queued run stops at once, a running one keeps the best plan found so far."""
    run = get_run(session, run_id)
    if run.ended:
        return run
    before = run.status
    run.stop_requested = True
    if run.status == "queued":
        _end(run, "stopped")
    record(session, actor, "stop", "planner_run", run.id,
           {"stop_requested": [False, True]} | pairs({"status": before}, {"status": run.status}))
    session.commit()
    return run


def fail_interrupted_runs(session: Session) -> int:
    """Mark every run left running by a scheduler that stopped as failed; return how many. Queued runs wait
    for the next scheduler: they never started, so nothing of them can be half-done."""
    runs = list(session.scalars(select(PlannerRun).where(PlannerRun.status == "running")))
    for run in runs:
        _end(run, "failed", INTERRUPTED)
        record(session, "scheduler", "fail", "planner_run", run.id, {"status": ["running", "failed"]},
               reason=INTERRUPTED)
    session.commit()
    return len(runs)


def _end(run: PlannerRun, status: str, message: str = "") -> None:
    run.status, run.active, run.finished_at = status, None, dt.datetime.now(dt.UTC)
    if message:
        run.message = message


def situation_for_run(session: Session, run: PlannerRun) -> dict[str, Any]:
    """The pool-instance/1 document a run plans: the situation, plus the pinned hours of its draft; or the
    document of its what-if scenario."""
    if run.scenario is not None:
        return scenario_document(run.scenario.situation, run.scenario.changes)
    doc = export_instance(session)
    if run.base_plan is None:
        return doc
    start = doc["horizon"]["start"]
    entries = {(e["request"], e["need"], e["specialist"], e["week"]): e for e in doc["previous_plan"]}
    planned = {r["id"] for r in doc["requests"]}
    for a in run.base_plan.assignments:
        week = week_index(dt.date.fromisoformat(start), a.week)
        if a.pinned and a.need.request.code in planned and 0 <= week < doc["horizon"]["weeks"]:
            key = (a.need.request.code, a.need.position, a.specialist.code, week)
            entries[key] = {"request": key[0], "need": key[1], "specialist": key[2], "week": week,
                            "hours": a.hours, "pinned": True}
    doc["previous_plan"] = list(entries.values())
    return doc


def execute_run(run_id: int, database_url: str | None = None) -> None:
    """The job: plan the situation for run `run_id` and leave a draft plan. Never raises."""
    sessions = make_session_factory(make_engine(database_url))
    try:
        with sessions() as session:
            _execute(session, sessions, run_id)
    finally:
        sessions.kw["bind"].dispose()


def queued_run_ids(session: Session) -> list[int]:
    """The runs waiting for a scheduler, oldest first."""
    return list(session.scalars(select(PlannerRun.id).where(PlannerRun.status == "queued").order_by(PlannerRun.id)))


def _execute(session: Session, sessions: Callable[[], Session], run_id: int) -> None:
    # Claim the run in one statement: of two executors handed the same run, exactly one gets it.
    claimed = session.execute(
        update(PlannerRun).where(PlannerRun.id == run_id, PlannerRun.status == "queued")
        .values(status="running", started_at=dt.datetime.now(dt.UTC), progress={"step": "setup", "seconds": 0.0}))
    session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return
    run = session.get(PlannerRun, run_id)
    assert run is not None
    stop = threading.Event()
    monitor = _RunMonitor(sessions, run_id, stop)
    monitor.start()
    try:
        doc, result = _plan(session, run, monitor)
        monitor.finish()
        session.refresh(run)
        _end(run, "stopped" if run.stop_requested else "finished")
        seconds = time.monotonic() - monitor.started
        if run.scenario is not None:  # a what-if plan stays with its scenario, never a draft plan
            validate_plan(result, doc)
            store_plan(session, run.scenario, result)
            run.progress = dict(run.progress) | {"step": "done", "seconds": round(seconds, 1),
                                                 "weighted_fill": result["kpis"].get("weighted_fill")}
            record(session, "scheduler", run.status, "planner_run", run.id,
                   {"scenario": run.scenario.id, "status": ["running", run.status]})
        else:
            plan = _store_draft(session, run, doc, result)
            run.plan_id = plan.id
            run.progress = dict(run.progress) | _final_progress(session, plan, seconds)
            record(session, "scheduler", run.status, "planner_run", run.id,
                   {"plan": [None, plan.id], "status": ["running", run.status]})
        session.commit()
    except Exception as e:  # a failed run is recorded, never left running
        log.exception("planner run %s failed", run_id)
        session.rollback()
        run = session.get(PlannerRun, run_id) or run
        _end(run, "failed", _one_line(e))
        record(session, "scheduler", "fail", "planner_run", run_id, {"status": ["running", "failed"]},
               reason=run.message)
        session.commit()
    finally:
        monitor.finish()


def _plan(session: Session, run: PlannerRun, monitor: _RunMonitor) -> tuple[dict[str, Any], dict[str, Any]]:
    """Plan the run's situation; return the situation and the pool-plan/1 document."""
    doc = situation_for_run(session, run)
    instance = instance_from_document(doc)
    config = PlanningConfig(time_limit=run.time_limit, frozen_weeks=run.frozen_weeks)
    if run.method == "greedy":
        result = solver.greedy(instance, config)
    else:
        result = solver.solve(instance, config, on_progress=monitor.report, stop=monitor.stop)
    return doc, solver.plan_document(result)


def _store_draft(session: Session, run: PlannerRun, doc: dict[str, Any], result: dict[str, Any]) -> Plan:
    parameters = {"method": run.method, "time_limit": run.time_limit, "frozen_weeks": run.frozen_weeks,
                  "run": run.id, "base_plan": run.base_plan_id}
    label = f"{'Greedy' if run.method == 'greedy' else 'Planner'} {dt.date.today():%Y-%m-%d} (run {run.id})"
    actor: User | str = run.started_by or "scheduler"
    return import_plan(session, result, name=label, actor=actor, parameters=parameters,
                       situation=doc, planner_figures=True, frozen_weeks=run.frozen_weeks)


def _final_progress(session: Session, plan: Plan, seconds: float) -> dict[str, Any]:
    k = plan.kpis
    out: dict[str, Any] = {"step": "done", "seconds": round(seconds, 1), "weighted_fill": k.get("weighted_fill")}
    if plan.solver.get("bound") is not None:
        out["bound"] = plan.solver["bound"]
    by_priority = plan_figures(session, [plan.id])[plan.id].filled_by_priority
    out["filled_by_priority"] = {str(p): h for p, h in by_priority.items()}  # JSON keys are strings
    return out


def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:500]


class _RunMonitor(threading.Thread):
    """The one writer of a running run's row: every second it records the latest progress and the seconds
    gone, and sets `stop` when someone asked the run to stop (from any process: the flag is in the database)."""

    def __init__(self, sessions: Callable[[], Session], run_id: int, stop: threading.Event) -> None:
        super().__init__(daemon=True, name=f"planner-run-{run_id}")
        self.sessions, self.run_id, self.stop = sessions, run_id, stop
        self.done = threading.Event()
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.latest: dict[str, Any] = {"step": "setup"}

    def report(self, progress: Any) -> None:
        """Take a progress report of the solver (called from the solving thread)."""
        with self.lock:
            best = self.latest.get("weighted_fill")
            if progress.weighted_fill is not None:
                best = max(best or 0, int(progress.weighted_fill))
            # only the fill step's bound bounds the fill; a later step's bound is of its own goals
            bound = progress.bound if progress.step in ("fill", "part") else self.latest.get("bound")
            by_priority = progress.filled_by_priority
            hours = ({str(k): v for k, v in sorted(by_priority.items())} if by_priority
                     else self.latest.get("filled_by_priority"))
            self.latest = {"step": progress.step, "weighted_fill": best, "bound": bound}
            if hours:
                self.latest["filled_by_priority"] = hours

    def run(self) -> None:
        while not self.done.wait(PROGRESS_EVERY_SECONDS):
            with self.lock:
                data = self.latest | {"seconds": round(time.monotonic() - self.started, 1)}
            try:
                with self.sessions() as session:
                    run = session.get(PlannerRun, self.run_id)
                    if run is None or run.status != "running":
                        return
                    if run.stop_requested:
                        self.stop.set()
                    run.progress = data
                    session.commit()
            except Exception:  # progress is nice to have; the solve goes on
                log.warning("could not record the progress of run %s", self.run_id, exc_info=True)

    def finish(self) -> None:
        self.done.set()
        self.join(10)
