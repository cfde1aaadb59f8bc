"""Changing a draft plan by hand: every change checked by the independent validator, audited, or refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

import solver
from pool.errors import NotFound, PoolError
from pool.models import Assignment, Need, Plan, Request, Specialist, UnmetNeed, User
from pool.services.audit import record
from pool.services.exchange import export_instance
from pool.services.transaction import Edit, transaction
from pool.translate import instance_from_document
from pool.weeks import week_index, week_start
from solver.config import PlanningConfig
from solver.instance import Assignment as Hours
from solver.instance import Instance


class RuleBreach(PoolError):
    """A change that would break hard rules; `breaches` holds each rule with its facts."""

    def __init__(self, breaches: list[solver.Violation]) -> None:
        self.breaches = breaches
        super().__init__("; ".join(v.text for v in breaches))


@dataclass(frozen=True)
class Change:
    """A coordinator's change of one assignment: the hours of a specialist on a need in a week (0 removes)."""

    request: str  # the request's id in the documents (its code)
    need: int  # the need's index
    specialist: str  # the specialist's id in the documents (code)
    week: int  # index from the horizon start
    hours: int
    pinned: bool
    reason: str
    version: int | None = None  # the draft's version the coordinator saw; None (an API caller): no check


def draft(session: Session, plan_id: int) -> Plan:
    """Return a plan that may be changed by hand, or say why not."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"there is no plan {plan_id}")
    if plan.status != "draft":
        raise PoolError("plan %(plan)s is %(status)s; a plan in force is never changed in place: revise it into a "
                        "new draft", plan=str(plan_id), status=plan.status)
    return plan


def _key(a: Hours) -> tuple[str, int, str, int]:
    return a.request, a.need, a.specialist, a.week


def plan_hours(plan: Plan) -> list[Hours]:
    """The plan's assignments as the planner's dataclasses (ids and week numbers of the documents)."""
    rows = plan.assignments
    return [Hours(a.need.request.code, a.need.position, a.specialist.code, week_index(plan.horizon_start, a.week),
                  a.hours, a.pinned) for a in rows]


def situation_of(session: Session, plan: Plan, unpinned: tuple[str, int, str, int] | None = None) -> Instance:
    """The situation a draft is checked against: the plan in force as the previous plan (it decides the frozen
    weeks), with the draft's own pinned hours fixed, except the one being changed."""
    doc = export_instance(session)
    entries = {(e["request"], e["need"], e["specialist"], e["week"]): e | {"pinned": False}
               for e in doc["previous_plan"]}
    for a in plan_hours(plan):
        if a.pinned and _key(a) != unpinned:
            entries[_key(a)] = {"request": a.request, "need": a.need, "specialist": a.specialist, "week": a.week,
                                "hours": a.hours, "pinned": True}
    doc["previous_plan"] = list(entries.values())
    return instance_from_document(doc)


def frozen_weeks_of(plan: Plan) -> int:
    return int(plan.parameters.get("frozen_weeks") or plan.solver.get("frozen_weeks") or 0)


def set_assignment(session: Session, plan_id: int, actor: User, change: Change) -> Plan:
    """Set one assignment of a draft; refuse, changing nothing, when the result breaks a hard rule or the draft
    changed after the coordinator saw it (`change.version`)."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"there is no plan {plan_id}")
    with transaction(session, Edit(actor, plan, "plan", str(plan.id), change.version)):
        draft(session, plan_id)
        if not change.reason.strip():
            raise PoolError("give a reason for the change", field="reason")
        key = (change.request, change.need, change.specialist, change.week)
        instance = situation_of(session, plan, unpinned=key)
        need, specialist = _target(session, instance, change)
        before = plan_hours(plan)
        old = next((a for a in before if _key(a) == key), None)
        after = [a for a in before if _key(a) != key]
        if change.hours > 0:
            after.append(Hours(*key, change.hours, change.pinned))
        _check(instance, before, after, frozen_weeks_of(plan))
        _write(plan, need, specialist, week_start(plan.horizon_start, change.week), change)
        _rescore(session, plan, instance, after)
        record(session, actor, "assign", "plan", plan.id, {
            "request": change.request, "need": change.need, "specialist": change.specialist, "week": change.week,
            "hours": [old.hours if old else 0, change.hours], "pinned": [bool(old and old.pinned), change.pinned],
        }, change.reason)
    return plan


def _check(instance: Instance, before: list[Hours], after: list[Hours], frozen: int) -> None:
    """Refuse a change that breaks a hard rule the draft did not break already."""
    known = {v.key for v in solver.violations(instance, before, frozen)}
    new = [v for v in solver.violations(instance, after, frozen) if v.key not in known]
    if new:
        raise RuleBreach(new)


def _target(session: Session, instance: Instance, change: Change) -> tuple[Need, Specialist]:
    request = next((r for r in instance.requests if r.id == change.request), None)
    if request is None:
        raise PoolError("request %(request)s is not in the situation being planned (approved or planned)",
                        field="request", request=change.request)
    if not 0 <= change.need < len(request.needs):
        raise PoolError("request %(request)s has no need %(need)s", field="need", request=change.request,
                        need=str(change.need))
    if not 0 <= change.week < instance.weeks:
        raise PoolError("week %(week)s is outside the horizon of %(weeks)s weeks", field="week", week=str(change.week),
                        weeks=instance.weeks)
    specialist = session.scalars(select(Specialist).where(Specialist.code == change.specialist)).first()
    if specialist is None or not specialist.active:
        raise PoolError("there is no active specialist %(specialist)s", field="specialist",
                        specialist=change.specialist)
    need = session.scalars(
        select(Need).join(Request).where(Request.code == change.request, Need.position == change.need)
    ).one()
    return need, specialist


def _write(plan: Plan, need: Need, specialist: Specialist, monday: dt.date, change: Change) -> None:
    row = next((a for a in plan.assignments
                if a.need_id == need.id and a.specialist_id == specialist.id and a.week == monday), None)
    if change.hours == 0:
        if row is not None:
            plan.assignments.remove(row)
        return
    if row is None:
        row = Assignment(need=need, specialist=specialist, week=monday, hours=change.hours)
        plan.assignments.append(row)
    row.hours, row.pinned = change.hours, change.pinned
    row.pin_reason = change.reason if change.pinned else ""


def _rescore(session: Session, plan: Plan, instance: Instance, hours: list[Hours]) -> None:
    """Recompute the plan's KPIs, unmet needs and score from its assignments (the planner's own measures)."""
    fillable = plan.parameters.get("fillable")
    result = solver.evaluate(instance, hours, PlanningConfig(frozen_weeks=frozen_weeks_of(plan)), fillable)
    doc = solver.plan_document(result)
    plan.kpis = doc["kpis"]
    flag_modified(plan, "kpis")  # the plan's version rises with every edit, even one that leaves the KPIs as they were
    plan.parameters = dict(plan.parameters) | {"fillable": result.extra["fillable"]}
    codes = {u.request for u in result.unmet}
    needs = {(n.request.code, n.position): n for n in session.scalars(
        select(Need).join(Request).options(selectinload(Need.request)).where(Request.code.in_(codes)))}
    plan.unmet = [UnmetNeed(need=needs[u.request, u.need], hours=u.hours, reason=u.reason, detail=u.detail)
                  for u in result.unmet if (u.request, u.need) in needs]


def revise(session: Session, plan_id: int, actor: User, reason: str = "") -> Plan:
    """Copy a plan (the one in force, usually) into a new draft that can be changed by hand."""
    source = session.get(Plan, plan_id)
    if source is None:
        raise NotFound(f"there is no plan {plan_id}")
    copy = Plan(
        name=f"Revision of {source.name or f'plan {source.id}'}"[:200], status="draft",
        horizon_start=source.horizon_start, horizon_weeks=source.horizon_weeks,
        parameters=dict(source.parameters) | {"revised_from": source.id}, kpis=dict(source.kpis),
        solver=dict(source.solver), created_by_id=actor.id,
    )
    copy.assignments = [Assignment(need_id=a.need_id, specialist_id=a.specialist_id, week=a.week, hours=a.hours,
                                   pinned=a.pinned, pin_reason=a.pin_reason) for a in source.assignments]
    copy.unmet = [UnmetNeed(need_id=u.need_id, hours=u.hours, reason=u.reason, detail=u.detail)
                  for u in source.unmet]
    with transaction(session):
        session.add(copy)
        session.flush()
        record(session, actor, "revise", "plan", copy.id,
               {"from": source.id, "status": [None, "draft"], "assignments": [None, len(copy.assignments)]}, reason)
    return copy


def names_for(session: Session, specialists: set[str], requests: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Names of specialists and titles of requests by their ids in the documents."""
    people = {c: n for c, n in session.execute(select(Specialist.code, Specialist.name).where(
        Specialist.code.in_(specialists)))}
    titles = {c: t for c, t in session.execute(select(Request.code, Request.title).where(Request.code.in_(requests)))}
    return {str(k): str(v) for k, v in people.items()}, {str(k): str(v) for k, v in titles.items()}
