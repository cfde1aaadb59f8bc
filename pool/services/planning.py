"""Running the planner on the stored situation, and publishing a plan."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import solver
from pool.errors import NotFound, PoolError, VersionConflict
from pool.models import Assignment, Need, Plan, Request, User
from pool.services.audit import record
from pool.services.exchange import export_instance, import_plan
from pool.services.mail import drop_queued, send_queued
from pool.services.notifications import notify
from pool.services.transaction import transaction
from pool.translate import instance_from_document
from solver.config import PlanningConfig

METHODS = ("cp-sat", "greedy")


def plan_situation(
    session: Session,
    config: PlanningConfig | None = None,
    method: str = "cp-sat",
    actor: User | str = "cli",
    name: str = "",
    on_progress: Callable[[Any], None] | None = None,
    stop: threading.Event | None = None,
) -> Plan:
    """Plan the approved and planned requests against the pool; store the result as a draft plan."""
    if method not in METHODS:
        raise PoolError(f"unknown planning method {method!r}; choose one of {', '.join(METHODS)}")
    config = config or PlanningConfig()
    instance = instance_from_document(export_instance(session))
    if method == "greedy":
        result = solver.greedy(instance, config)
    else:
        result = solver.solve(instance, config, on_progress=on_progress, stop=stop)
    parameters = {"method": method, "time_limit": config.time_limit, "workers": config.workers,
                  "seed": config.seed, "reproducible": config.reproducible, "frozen_weeks": config.frozen_weeks}
    label = name or f"{'Greedy' if method == 'greedy' else 'Planner'} {dt.date.today():%Y-%m-%d}"
    return import_plan(session, solver.plan_document(result), name=label, actor=actor, parameters=parameters,
                       planner_figures=True, frozen_weeks=config.frozen_weeks)


def publish_plan(session: Session, plan_id: int, actor: User | str = "cli", reason: str = "") -> Plan:
    """Put a draft plan in force: the plan before it is superseded, its requests become planned, and every
    specialist and team lead whose assignments changed is told."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"there is no plan {plan_id}")
    if plan.status != "draft":
        raise PoolError("plan %(plan)s is %(status)s; only a draft can be published", plan=str(plan_id),
                        status=plan.status)
    drop_queued(session)
    try:
        _publish(session, plan, actor, reason)
    except (IntegrityError, VersionConflict) as e:
        # The partial unique index on published plans, or the version of the plan in force that both
        # supersede: another publish committed first.
        drop_queued(session)
        raise PoolError("another plan was published at the same moment; plan %(plan)s stays a draft",
                        plan=str(plan_id)) from e
    except BaseException:
        drop_queued(session)
        raise
    send_queued(session)  # the people told in the app also by mail, now that the plan is in force
    return plan


def _publish(session: Session, plan: Plan, actor: User | str, reason: str) -> None:
    with transaction(session):
        olds = list(session.scalars(select(Plan).where(Plan.status == "published")))
        changed = changed_between(session, olds[0] if olds else None, plan)
        for old in olds:
            old.status = "superseded"
            record(session, actor, "supersede", "plan", old.id, {"status": ["published", "superseded"],
                                                                 "by": plan.id}, reason)
        session.flush()  # the index allows one published plan at any moment, also within this transaction
        plan.status, plan.published_at = "published", dt.datetime.now(dt.UTC)
        planned = select(Need.request_id).join(Assignment, Assignment.need_id == Need.id).where(
            Assignment.plan_id == plan.id
        )
        for request in session.scalars(select(Request).where(Request.id.in_(planned), Request.status == "approved")):
            request.status = "planned"
            record(session, actor, "plan", "request", request.code, {"status": ["approved", "planned"],
                                                                     "plan": plan.id}, reason)
        told = _tell(session, plan, changed)
        record(session, actor, "publish", "plan", plan.id,
               {"status": ["draft", "published"], "assignments": len(plan.assignments),
                "superseded": [o.id for o in olds], "notified": told}, reason)


@dataclass(frozen=True)
class Changed:
    """Who is touched by the difference between two plans: specialists and requests (database ids)."""

    specialists: frozenset[int]
    requests: frozenset[int]


def changed_between(session: Session, old: Plan | None, new: Plan) -> Changed:
    """The specialists and requests whose assignments differ between two plans."""
    def hours(plan: Plan | None) -> dict[tuple[int, int, dt.date], int]:
        return {} if plan is None else {(a.need_id, a.specialist_id, a.week): a.hours for a in plan.assignments}

    before, after = hours(old), hours(new)
    keys = [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]
    need_ids = {k[0] for k in keys}
    requests = set(session.scalars(select(Need.request_id).where(Need.id.in_(need_ids)))) if keys else set()
    return Changed(frozenset(k[1] for k in keys), frozenset(requests))


def _tell(session: Session, plan: Plan, changed: Changed) -> int:
    specialists = session.scalars(select(User).where(User.active, User.specialist_id.in_(changed.specialists)))
    told = notify(session, specialists, "assignments-changed", {"plan": plan.id})
    towns = select(Request.municipality_id).where(Request.id.in_(changed.requests))
    leads = session.scalars(select(User).where(User.active, User.role == "team_lead",
                                               User.municipality_id.in_(towns)))
    return told + notify(session, leads, "requests-changed", {"plan": plan.id})
