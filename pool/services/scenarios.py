"""What-if scenarios: a stored copy of the situation plus changes, planned by the same run job.

A scenario never touches real requests, specialists or plans: its document is built from its own copy, and
the plan its run makes is stored with the scenario, never as a draft plan.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.errors import FormatError, NotFound, PoolError
from pool.formats import validate_instance
from pool.models import PlannerRun, Scenario, User
from pool.services.audit import record
from pool.services.exchange import export_instance

CHANGE_KINDS = ("extra-request", "specialist-leaves", "contribution", "partner-budget", "more-hours", "skill-level")
EXTRA_PREFIX = "WHATIF-"


def list_scenarios(session: Session) -> list[Scenario]:
    return list(session.scalars(select(Scenario).order_by(Scenario.id.desc())))


def get_scenario(session: Session, scenario_id: int) -> Scenario:
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise NotFound("there is no scenario %(scenario)s", scenario=scenario_id)
    return scenario


def _name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise PoolError("a scenario needs a name of 1 to 200 characters", field="name")
    return name


def create_scenario(session: Session, actor: User, name: str) -> Scenario:
    """Copy the current situation into a new scenario without changes."""
    scenario = Scenario(name=_name(name), situation=export_instance(session), changes=[], created_by=actor)
    session.add(scenario)
    session.flush()
    record(session, actor, "create", "scenario", scenario.id, {"name": [None, scenario.name], "changes": [None, 0]})
    session.commit()
    return scenario


def rename_scenario(session: Session, actor: User, scenario_id: int, name: str) -> Scenario:
    scenario = get_scenario(session, scenario_id)
    old, scenario.name = scenario.name, _name(name)
    record(session, actor, "rename", "scenario", scenario.id, {"name": [old, scenario.name]})
    session.commit()
    return scenario


def delete_scenario(session: Session, actor: User, scenario_id: int) -> None:
    scenario = get_scenario(session, scenario_id)
    if session.scalars(select(PlannerRun).where(PlannerRun.scenario_id == scenario.id,
                                                PlannerRun.active.is_(True))).first():
        raise PoolError("this scenario is being planned; stop its run before deleting it")
    record(session, actor, "delete", "scenario", scenario.id, {"name": [scenario.name, None]})
    session.delete(scenario)
    session.commit()


@dataclass(frozen=True)
class Change:
    """One change as the coordinator gives it; which fields count depends on the kind."""

    kind: str
    municipality: str = ""
    specialist: str = ""
    skill: str = ""
    min_level: int = 3
    hours: int = 0
    priority: int = 2
    week: int = 0
    end_week: int | None = None


def add_change(session: Session, actor: User, scenario_id: int, change: Change) -> Scenario:
    """Add a change; refuse one that names what the scenario does not hold, or makes its situation invalid."""
    scenario = get_scenario(session, scenario_id)
    entry = _entry(scenario.situation, change)
    changes = [*scenario.changes, entry]
    scenario_document(scenario.situation, changes)  # raises on a change that breaks the situation
    scenario.changes = changes
    scenario.plan, scenario.planned_at = None, None  # the plan no longer fits the changed situation
    record(session, actor, "change", "scenario", scenario.id,
           {"change": [None, entry], "changes": [len(changes) - 1, len(changes)]})
    session.commit()
    return scenario


def remove_change(session: Session, actor: User, scenario_id: int, index: int) -> Scenario:
    scenario = get_scenario(session, scenario_id)
    if not 0 <= index < len(scenario.changes):
        raise NotFound("scenario %(scenario)s has no change %(number)s", scenario=scenario_id, number=index + 1)
    removed = scenario.changes[index]
    scenario.changes = [c for i, c in enumerate(scenario.changes) if i != index]
    scenario.plan, scenario.planned_at = None, None
    record(session, actor, "unchange", "scenario", scenario.id,
           {"change": [removed, None], "changes": [len(scenario.changes) + 1, len(scenario.changes)]})
    session.commit()
    return scenario


def _entry(doc: dict[str, Any], c: Change) -> dict[str, Any]:
    weeks = doc["horizon"]["weeks"]
    towns = {m["id"] for m in doc["municipalities"]}
    if c.kind not in CHANGE_KINDS:
        # the param is not called `kind`: the web tier words a `kind` param as a kind of absence
        raise PoolError("unknown change %(change)r; choose one of %(choices)s", field="kind", change=c.kind,
                        choices=", ".join(CHANGE_KINDS))
    if c.kind in ("extra-request", "contribution") and c.municipality not in towns:
        raise PoolError("there is no municipality %(code)r in this scenario", field="municipality", code=c.municipality)
    if c.kind == "extra-request":
        if c.skill not in {s["id"] for s in doc["skills"]}:
            raise PoolError("there is no skill %(code)r in this scenario", field="skill", code=c.skill)
        end = weeks - 1 if c.end_week is None else c.end_week
        if not 0 <= c.week <= end < weeks:
            raise PoolError("the window must run from week 0 to %(last)s, its first week not after its last",
                            field="week", last=weeks - 1)
        if not 1 <= c.hours <= 100_000:
            raise PoolError("an extra request needs 1 to 100000 hours", field="hours")
        _level(c.min_level)
        if c.priority not in (1, 2, 3, 4):
            raise PoolError("the priority must be 1 (critical) to 4 (low)", field="priority")
        return {"kind": c.kind, "municipality": c.municipality, "skill": c.skill, "min_level": c.min_level,
                "hours": c.hours, "priority": c.priority, "week": c.week, "end_week": end}
    if c.kind in ("specialist-leaves", "more-hours", "skill-level") and \
            c.specialist not in {s["id"] for s in doc["specialists"]}:
        raise PoolError("there is no specialist %(code)r in this scenario", field="specialist", code=c.specialist)
    if c.kind == "more-hours":
        if not 1 <= c.hours <= 40:
            raise PoolError("a specialist can give 1 to 40 more pool hours a week", field="hours")
        return {"kind": c.kind, "specialist": c.specialist, "hours": c.hours}
    if c.kind == "skill-level":
        if c.skill not in {s["id"] for s in doc["skills"]}:
            raise PoolError("there is no skill %(code)r in this scenario", field="skill", code=c.skill)
        _level(c.min_level)
        return {"kind": c.kind, "specialist": c.specialist, "skill": c.skill, "level": c.min_level}
    if c.kind == "specialist-leaves":
        if not 0 <= c.week < weeks:
            raise PoolError("the week must be between 0 and %(last)s", field="week", last=weeks - 1)
        return {"kind": c.kind, "specialist": c.specialist, "week": c.week}
    if not 0 <= c.hours <= 100_000:
        raise PoolError("the hours must be between 0 and 100000", field="hours")
    if c.kind == "contribution":
        return {"kind": c.kind, "municipality": c.municipality, "hours": c.hours}
    if doc["partner"] is None:
        raise PoolError("this scenario has no partner contract to change", field="kind")
    return {"kind": c.kind, "hours": c.hours}


def _level(level: int) -> None:
    if not 1 <= level <= 5:
        raise PoolError("the level must be 1 to 5", field="min_level")


def scenario_document(situation: dict[str, Any], changes: list[dict[str, Any]], check: bool = True) -> dict[str, Any]:
    """The pool-instance/1 document of a scenario: its copy of the situation with every change applied.

    `check=False` skips the format check, for a scenario whose changes were checked when they were added.
    """
    doc = copy.deepcopy(situation)
    for n, change in enumerate(changes, start=1):
        APPLY[change["kind"]](doc, change, n)
    if not check:
        return doc
    try:
        validate_instance(doc)
    except FormatError as e:
        raise PoolError("with these changes the situation is not valid: %(problem)s", problem=str(e)) from None
    return doc


def _extra_request(doc: dict[str, Any], c: dict[str, Any], n: int) -> None:
    span = c["end_week"] - c["week"] + 1
    doc["requests"].append({
        "id": f"{EXTRA_PREFIX}{n}", "municipality": c["municipality"], "title": f"What-if request {n}",
        "needs": [{"skill": c["skill"], "min_level": c["min_level"], "hours": c["hours"]}],
        "start_week": c["week"], "end_week": c["end_week"], "max_hours_per_week": max(1, -(-c["hours"] // span)),
        "priority": c["priority"], "allow_partner": True, "all_or_nothing": False,
    })


def _specialist_leaves(doc: dict[str, Any], c: dict[str, Any], _n: int) -> None:
    """From its week on the specialist gives no pool hours, and the plan in force loses its hours there."""
    for s in doc["specialists"]:
        if s["id"] == c["specialist"]:
            kept = {u["week"]: u["hours"] for u in s["unavailable"] if u["week"] < c["week"]}
            gone = {w: s["pool_hours_per_week"] for w in range(c["week"], doc["horizon"]["weeks"])}
            s["unavailable"] = [{"week": w, "hours": h} for w, h in sorted((kept | gone).items()) if h]
    doc["previous_plan"] = [a for a in doc["previous_plan"]
                            if not (a["specialist"] == c["specialist"] and a["week"] >= c["week"])]


def _contribution(doc: dict[str, Any], c: dict[str, Any], _n: int) -> None:
    """The committed hours change, and its specialists' pool hours follow in proportion (the planner plans
    with pool hours; a contribution only binds through them)."""
    for m in doc["municipalities"]:
        if m["id"] == c["municipality"]:
            old, m["committed_hours_per_week"] = m["committed_hours_per_week"], c["hours"]
    people = [s for s in doc["specialists"] if s["home"] == c["municipality"]]
    total = sum(s["pool_hours_per_week"] for s in people)
    if total:
        for s in people:
            s["pool_hours_per_week"] = round(s["pool_hours_per_week"] * c["hours"] / (old or total))
    moved = {s["id"] for s in people}
    for a in doc["previous_plan"]:  # hours pinned on fewer pool hours could not be kept
        if a["specialist"] in moved:
            a["pinned"] = False


def _partner_budget(doc: dict[str, Any], c: dict[str, Any], _n: int) -> None:
    doc["partner"]["budget_hours"] = c["hours"]


def _more_hours(doc: dict[str, Any], c: dict[str, Any], _n: int) -> None:
    for s in doc["specialists"]:
        if s["id"] == c["specialist"]:
            s["pool_hours_per_week"] += c["hours"]


def _skill_level(doc: dict[str, Any], c: dict[str, Any], _n: int) -> None:
    for s in doc["specialists"]:
        if s["id"] == c["specialist"]:
            s["skills"][c["skill"]] = c["level"]


APPLY = {"extra-request": _extra_request, "specialist-leaves": _specialist_leaves, "contribution": _contribution,
         "partner-budget": _partner_budget, "more-hours": _more_hours, "skill-level": _skill_level}


def store_plan(session: Session, scenario: Scenario, plan: dict[str, Any]) -> None:
    """Keep the plan a run made of the scenario (the caller commits)."""
    scenario.plan, scenario.planned_at = plan, dt.datetime.now(dt.UTC)
