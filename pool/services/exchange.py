"""Import and export of whole planning situations (pool-instance/1) and plans (pool-plan/1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pool.errors import FormatError, NotFound, PoolError
from pool.formats import validate_plan
from pool.formats.instance import FORMAT as INSTANCE_FORMAT
from pool.formats.plan import FORMAT as PLAN_FORMAT
from pool.models import (
    Assignment,
    Contribution,
    Cooperation,
    Municipality,
    Need,
    PartnerContract,
    Plan,
    Request,
    Skill,
    Specialist,
    SpecialistSkill,
    Unavailability,
    UnmetNeed,
    User,
)
from pool.plan_rules import assignments_of, rule_problems
from pool.services import horizon
from pool.services.audit import record
from pool.services.availability import hours_off
from pool.services.transaction import transaction
from pool.translate import checked_instance, instance_from_document
from pool.weeks import week_index, week_start
from solver.validate import compute_kpis

PLANNABLE = ("approved", "planned")


def cooperation(session: Session) -> Cooperation:
    """Return the cooperation, or say how to create one."""
    coop = session.scalars(select(Cooperation).order_by(Cooperation.id)).first()
    if coop is None:
        raise PoolError("the database holds no cooperation yet: run `pool demo` or `pool import FILE`")
    return coop


def _by_code(session: Session, model: Any) -> dict[str, Any]:
    return {obj.code: obj for obj in session.scalars(select(model))}


def import_instance(session: Session, doc: Any, actor: User | str = "cli") -> dict[str, int]:
    """Write a pool-instance/1 document into the database in one transaction; return counts.

    Objects are matched on their ids (codes), so importing into a filled database updates what it knows
    and adds the rest. Nothing is written when the document is invalid.
    """
    checked_instance(doc)
    with transaction(session):
        counts = _import(session, doc, actor)
    return counts


ROWS = {"skills": Skill, "municipalities": Municipality, "specialists": Specialist, "requests": Request}


def _row_counts(session: Session) -> dict[str, int]:
    return {key: int(session.scalar(select(func.count()).select_from(model)) or 0) for key, model in ROWS.items()}


def _import(session: Session, doc: dict[str, Any], actor: User | str) -> dict[str, int]:
    rows_before = _row_counts(session)
    start = dt.date.fromisoformat(doc["horizon"]["start"])
    weeks = doc["horizon"]["weeks"]
    coop = session.scalars(select(Cooperation)).first()
    bounds_before = None if coop is None else horizon.bounds(coop)
    if coop is None:
        coop = Cooperation(name="Samenwerking")
        session.add(coop)
    coop.horizon_start, coop.horizon_weeks = start, weeks

    skills = _by_code(session, Skill)
    for s in doc["skills"]:
        skill = skills.get(s["id"]) or Skill(code=s["id"])
        skill.name = s["name"]
        skills[s["id"]] = skill
        session.add(skill)

    municipalities = _by_code(session, Municipality)
    for m in doc["municipalities"]:
        mun = municipalities.get(m["id"]) or Municipality(code=m["id"])
        mun.name = m["name"]
        municipalities[m["id"]] = mun
        session.add(mun)
        _set_contribution(mun, m["committed_hours_per_week"], start)

    if doc["partner"] is not None:
        p = doc["partner"]
        contract = session.scalars(select(PartnerContract).order_by(PartnerContract.id.desc())).first()
        if contract is None:
            contract = PartnerContract(valid_from=start, valid_to=None)
            session.add(contract)
        contract.name, contract.budget_hours = p["name"], p["budget_hours"]
        contract.min_notice_weeks = p["min_notice_weeks"]
        rates = [s["hourly_cost"] for s in doc["specialists"] if s["kind"] == "partner"]
        contract.hourly_rate = max(rates, default=contract.hourly_rate or 0)

    specialists = _by_code(session, Specialist)
    session.flush()
    for s in doc["specialists"]:
        spec = specialists.get(s["id"]) or Specialist(code=s["id"])
        spec.name, spec.kind = s["name"], s["kind"]
        spec.municipality = municipalities[s["home"]] if s["kind"] == "internal" else None
        spec.pool_hours_per_week, spec.hourly_cost = s["pool_hours_per_week"], s["hourly_cost"]
        spec.active = True
        specialists[s["id"]] = spec
        session.add(spec)
        held = {ss.skill.code: ss for ss in spec.skills}
        spec.skills = [_level(held.get(k), skills[k], v) for k, v in s["skills"].items()]
        horizon_end = week_start(start, weeks)
        spec.unavailability = [
            u for u in spec.unavailability if u.end_date < start or u.start_date >= horizon_end
        ] + [
            Unavailability(
                kind="leave",
                start_date=week_start(start, u["week"]),
                end_date=week_start(start, u["week"]) + dt.timedelta(days=4),
                hours_per_week=u["hours"],
            )
            for u in s["unavailable"]
            if u["hours"] > 0
        ]

    requests = _by_code(session, Request)
    for r in doc["requests"]:
        req = requests.get(r["id"]) or Request(code=r["id"], status="approved")
        req.municipality = municipalities[r["municipality"]]
        req.title = r["title"]
        req.first_week, req.last_week = week_start(start, r["start_week"]), week_start(start, r["end_week"])
        req.max_hours_per_week, req.priority = r["max_hours_per_week"], r["priority"]
        req.allow_partner, req.all_or_nothing = r["allow_partner"], r["all_or_nothing"]
        if req.status not in PLANNABLE:
            req.status = "approved"
        existing = {n.position: n for n in req.needs}
        needs = []
        for i, n in enumerate(r["needs"]):
            need = existing.get(i) or Need(position=i)
            need.skill, need.min_level, need.hours = skills[n["skill"]], n["min_level"], n["hours"]
            needs.append(need)
        req.needs = needs
        requests[r["id"]] = req
        session.add(req)

    session.flush()
    if doc["previous_plan"]:
        for old in session.scalars(select(Plan).where(Plan.status == "published")):
            old.status = "superseded"
        plan = Plan(
            name="Imported plan in force", status="published", horizon_start=start, horizon_weeks=weeks,
            published_at=dt.datetime.now(dt.UTC),
        )
        plan.assignments = [
            Assignment(
                need=requests[a["request"]].needs[a["need"]],
                specialist=specialists[a["specialist"]],
                week=week_start(start, a["week"]),
                hours=a["hours"],
                pinned=a.get("pinned", False),
            )
            for a in doc["previous_plan"]
        ]
        session.add(plan)
    counts = {key: len(doc[key]) for key in ("skills", "municipalities", "specialists", "requests")}
    counts["previous_plan"] = len(doc["previous_plan"])
    session.flush()
    after = _row_counts(session)
    # rows held before and after; the document's own counts say how many it named (matched ones are updated)
    record(session, actor, "import", "instance", changes={k: [rows_before[k], after[k]] for k in ROWS} | {
        "previous_plan": [None, counts["previous_plan"]], "document": counts})
    if bounds_before is not None and bounds_before != horizon.bounds(coop):
        horizon.flag_left_behind(session, bounds_before, coop)
    return counts


def _level(held: SpecialistSkill | None, skill: Skill, level: int) -> SpecialistSkill:
    """Update the row a specialist already has for a skill (a unique pair), or make one."""
    held = held or SpecialistSkill(skill=skill)
    held.level = level
    return held


def _set_contribution(mun: Municipality, hours: int, start: dt.date) -> None:
    """Make `hours` the contribution from `start` on, closing the one that ran before."""
    for c in mun.contributions:
        if c.valid_from >= start:
            c.valid_from, c.hours_per_week, c.valid_to = start, hours, None
            return
        if c.valid_to is None or c.valid_to >= start:
            if c.hours_per_week == hours:
                return
            c.valid_to = start - dt.timedelta(days=1)
    mun.contributions.append(Contribution(hours_per_week=hours, valid_from=start, valid_to=None))


def export_instance(session: Session) -> dict[str, Any]:
    """Return the planning situation as a pool-instance/1 document: approved and planned requests."""
    coop = cooperation(session)
    start, weeks = coop.horizon_start, coop.horizon_weeks
    end = week_start(start, weeks)
    skills = list(session.scalars(select(Skill).order_by(Skill.id)))
    municipalities = list(
        session.scalars(select(Municipality).options(selectinload(Municipality.contributions)).order_by(Municipality.id))
    )
    specialists = list(
        session.scalars(
            select(Specialist)
            .where(Specialist.active)
            .options(
                selectinload(Specialist.skills).selectinload(SpecialistSkill.skill),
                selectinload(Specialist.unavailability),
                selectinload(Specialist.municipality),
            )
            .order_by(Specialist.id)
        )
    )
    contract = partner_contract(session, start, weeks)
    requests = list(
        session.scalars(
            select(Request)
            .where(Request.status.in_(PLANNABLE), Request.last_week >= start, Request.first_week < end)
            .options(selectinload(Request.needs).selectinload(Need.skill), selectinload(Request.municipality))
            .order_by(Request.id)
        )
    )
    return {
        "format": INSTANCE_FORMAT,
        "horizon": {"start": start.isoformat(), "weeks": weeks},
        "skills": [{"id": s.code, "name": s.name} for s in skills],
        "municipalities": [
            {"id": m.code, "name": m.name, "committed_hours_per_week": m.committed_hours(start)}
            for m in municipalities
        ],
        "specialists": [specialist_doc(s, start, weeks) for s in specialists],
        "partner": partner_doc(contract),
        "requests": [request_doc(r, start, weeks) for r in requests],
        "previous_plan": _previous_plan(session, {r.id for r in requests}, start, weeks),
    }


def partner_contract(session: Session, start: dt.date, weeks: int) -> PartnerContract | None:
    """Return the partner contract in force during the horizon, the latest if several."""
    return session.scalars(
        select(PartnerContract)
        .where(PartnerContract.valid_from < week_start(start, weeks))
        .where((PartnerContract.valid_to.is_(None)) | (PartnerContract.valid_to >= start))
        .order_by(PartnerContract.valid_from.desc(), PartnerContract.id.desc())
    ).first()


def partner_doc(contract: PartnerContract | None) -> dict[str, Any] | None:
    if contract is None:
        return None
    return {"name": contract.name, "budget_hours": contract.budget_hours, "min_notice_weeks": contract.min_notice_weeks}


def specialist_doc(s: Specialist, start: dt.date, weeks: int) -> dict[str, Any]:
    off = hours_off(s.unavailability, start, weeks)
    return {
        "id": s.code,
        "name": s.name,
        "home": s.municipality.code if s.municipality else None,
        "kind": s.kind,
        "pool_hours_per_week": s.pool_hours_per_week,
        "skills": {ss.skill.code: ss.level for ss in sorted(s.skills, key=lambda ss: ss.id)},
        "unavailable": [{"week": w, "hours": h} for w, h in sorted(off.items()) if h],
        "hourly_cost": s.hourly_cost,
    }


def request_doc(r: Request, start: dt.date, weeks: int) -> dict[str, Any]:
    first = max(0, week_index(start, r.first_week))
    last = min(weeks - 1, week_index(start, r.last_week))
    return {
        "id": r.code,
        "municipality": r.municipality.code,
        "title": r.title,
        "needs": [{"skill": n.skill.code, "min_level": n.min_level, "hours": n.hours} for n in r.needs],
        "start_week": first,
        "end_week": last,
        "max_hours_per_week": r.max_hours_per_week,
        "priority": r.priority,
        "allow_partner": r.allow_partner,
        "all_or_nothing": r.all_or_nothing,
    }


def published_plan(session: Session) -> Plan | None:
    """Return the plan in force, if one is published."""
    return session.scalars(select(Plan).where(Plan.status == "published").order_by(Plan.id.desc())).first()


def _previous_plan(session: Session, request_ids: set[int], start: dt.date, weeks: int) -> list[dict[str, Any]]:
    plan = published_plan(session)
    if plan is None:
        return []
    rows = session.scalars(
        select(Assignment)
        .where(Assignment.plan_id == plan.id)
        .options(selectinload(Assignment.need).selectinload(Need.request), selectinload(Assignment.specialist))
        .order_by(Assignment.id)
    )
    out = []
    for a in rows:
        w = week_index(start, a.week)
        if a.need.request_id in request_ids and 0 <= w < weeks and a.specialist.active:
            out.append(assignment_doc(a, w) | {"pinned": a.pinned})
    return out


def assignment_doc(a: Assignment, week: int) -> dict[str, Any]:
    return {
        "request": a.need.request.code,
        "need": a.need.position,
        "specialist": a.specialist.code,
        "week": week,
        "hours": a.hours,
    }


def export_plan(session: Session, plan_id: int) -> dict[str, Any]:
    """Return a stored plan as a pool-plan/1 document."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"there is no plan {plan_id}")
    rows = session.scalars(
        select(Assignment).where(Assignment.plan_id == plan.id)
        .options(selectinload(Assignment.need).selectinload(Need.request), selectinload(Assignment.specialist))
        .order_by(Assignment.id)
    )
    unmet = session.scalars(
        select(UnmetNeed).where(UnmetNeed.plan_id == plan.id)
        .options(selectinload(UnmetNeed.need).selectinload(Need.request)).order_by(UnmetNeed.id)
    )
    assignments = []
    for a in rows:
        doc = assignment_doc(a, week_index(plan.horizon_start, a.week))
        if a.pinned:
            doc["pinned"] = True
        assignments.append(doc)
    return {
        "format": PLAN_FORMAT,
        "assignments": assignments,
        "unmet": [
            {"request": u.need.request.code, "need": u.need.position, "hours": u.hours, "reason": u.reason,
             "detail": u.detail}
            for u in unmet
        ],
        "kpis": dict(plan.kpis),
        "solver": dict(plan.solver),
    }


def import_plan(
    session: Session,
    doc: Any,
    name: str = "",
    actor: User | str = "cli",
    parameters: dict[str, Any] | None = None,
    situation: dict[str, Any] | None = None,
    planner_figures: bool = False,
    frozen_weeks: int | None = None,
) -> Plan:
    """Store a pool-plan/1 document as a draft plan of the current situation (or of the `situation` it planned).

    The plan must meet every hard rule of the situation (pinned entries of the plan in force included).
    Inside the frozen weeks (the cooperation's, unless the planner says with which it planned) the plan in
    force stays as it is. Its KPIs are recomputed from its assignments; only the planner's own document
    (planner_figures) keeps the further figures it carries.
    """
    coop = cooperation(session)
    situation = situation or export_instance(session)
    validate_plan(doc, situation)
    instance = instance_from_document(situation)
    frozen = coop.frozen_weeks if frozen_weeks is None else frozen_weeks
    problems = rule_problems(instance, doc["assignments"], "$.assignments", frozen)
    if problems:
        raise FormatError(problems)
    kpis = (dict(doc["kpis"]) if planner_figures else {}) | compute_kpis(instance, assignments_of(doc["assignments"]))
    requests = {
        r.code: r for r in session.scalars(select(Request).options(selectinload(Request.needs)))
    }
    specialists = _by_code(session, Specialist)
    plan = Plan(
        name=name, status="draft", horizon_start=coop.horizon_start, horizon_weeks=coop.horizon_weeks,
        kpis=kpis, solver=doc["solver"], parameters=parameters or {},
    )
    plan.assignments = [
        Assignment(
            need=requests[a["request"]].needs[a["need"]], specialist=specialists[a["specialist"]],
            week=week_start(coop.horizon_start, a["week"]), hours=a["hours"], pinned=a.get("pinned", False),
        )
        for a in doc["assignments"]
    ]
    plan.unmet = [
        UnmetNeed(need=requests[u["request"]].needs[u["need"]], hours=u["hours"], reason=u["reason"],
                  detail=u["detail"])
        for u in doc["unmet"]
    ]
    with transaction(session):
        session.add(plan)
        session.flush()
        record(session, actor, "import", "plan", plan.id,
               {"status": [None, plan.status], "assignments": [None, len(plan.assignments)]})
    return plan
