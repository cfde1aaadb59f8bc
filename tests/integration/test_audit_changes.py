"""Every service that changes something records who did it, when, and what changed (before and after).

The list below names every changing service of pool/services; each is called the way its page or command
calls it, and the audit row it leaves must name the actor and hold at least one field as [before, after] with
the two sides different. Left out on purpose: reading the bell (notifications.mark_all_read marks, it changes
nothing of the cooperation), the login throttle's counters (a failed login is audited by accounts), and
`pool restore` (it brings back the audit trail itself; a row of its own would break the byte-for-byte round
trip) and `pool demo` (it fills through import_instance and publish_plan, which are on the list).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import AuditEvent, Contribution, Plan, Request, SkillChange, Specialist, Unavailability
from pool.services import (
    accounts,
    exchange,
    jobs,
    ledger,
    plan_edits,
    planning,
    pool_admin,
    requests,
    runs,
    scenarios,
    specialists,
)
from tests.conftest import SAMPLE
from tests.web.conftest import PASSWORD, World, build_world

Step = Callable[[Session, World], Any]


def _s0001(session: Session) -> Specialist:
    return session.scalars(select(Specialist).where(Specialist.code == "S0001")).one()


def _draft(session: Session, world: World) -> Plan:
    published = session.scalars(select(Plan).where(Plan.status == "published")).one()
    return plan_edits.revise(session, published.id, world.coordinator, "hand work")


def _request_input(session: Session, title: str) -> requests.RequestInput:
    r = session.scalars(select(Request).order_by(Request.id)).first()
    assert r is not None
    return requests.RequestInput(title=title, first_week=r.first_week, last_week=r.last_week,
                                 max_hours_per_week=r.max_hours_per_week,
                                 needs=[requests.NeedInput(n.skill_id, n.min_level, n.hours) for n in r.needs])


def _new_request(session: Session, world: World, submit: bool = False) -> Request:
    return requests.create_request(session, world.lead_a, _request_input(session, "Nieuw"), submit=submit)


def _leave(session: Session, world: World) -> Unavailability:
    return specialists.add_unavailability(session, world.coordinator, _s0001(session), specialists.UnavailabilityInput(
        "leave", dt.date(2027, 3, 1), dt.date(2027, 3, 5), 8))


def _proposal(session: Session, world: World) -> SkillChange:
    held = _s0001(session).skills[0]
    return specialists.propose_skill_change(session, world.spec_a, _s0001(session), held.skill_id,
                                            1 if held.level != 1 else 2)


def _scenario(session: Session, world: World) -> int:
    return scenarios.create_scenario(session, world.coordinator, "Wat als").id


def _account(data: dict[str, Any]) -> accounts.AccountInput:
    return accounts.AccountInput(**({"username": "nieuw", "name": "Nieuw", "email": "", "role": "coordinator",
                                     "password": "a long and rare passphrase 7"} | data))


SERVICES: dict[str, tuple[Step, str]] = {
    # accounts
    "accounts.create_user": (lambda s, w: accounts.create_user(s, w.coordinator, _account({})), "user"),
    "accounts.update_user": (lambda s, w: accounts.update_user(s, w.coordinator, w.lead_b.id, _account({
        "username": "tl-b", "name": "Andere naam", "role": "team_lead", "municipality_id": w.lead_b.municipality_id,
        "password": ""})), "user"),
    "accounts.change_password": (lambda s, w: accounts.change_password(s, w.lead_a, PASSWORD,
                                                                       "another rare passphrase 9"), "user"),
    "accounts.end_sessions": (lambda s, w: accounts.end_sessions(s, w.lead_a), "user"),
    "accounts.set_locale": (lambda s, w: accounts.set_locale(s, w.lead_a, "en"), "user"),
    "accounts.new_calendar_token": (lambda s, w: accounts.new_calendar_token(s, w.spec_a), "user"),
    "accounts.revoke_calendar_token": (
        lambda s, w: (accounts.new_calendar_token(s, w.spec_a), accounts.revoke_calendar_token(s, w.spec_a)), "user"),
    # the pool
    "pool_admin.save_municipality": (lambda s, w: pool_admin.save_municipality(
        s, w.coordinator, "GM0505", "Dordrecht (stad)", w.request_a.municipality_id), "municipality"),
    "pool_admin.add_contribution": (lambda s, w: pool_admin.add_contribution(
        s, w.coordinator, w.request_a.municipality_id, 30, dt.date(2027, 3, 1)), "contribution"),
    "pool_admin.save_skill (new)": (lambda s, w: pool_admin.save_skill(s, w.coordinator, "Rust", "rust"), "skill"),
    "pool_admin.save_skill (rename)": (lambda s, w: pool_admin.save_skill(
        s, w.coordinator, "Andere naam", skill_id=pool_admin.list_skills(s)[0].id), "skill"),
    "pool_admin.save_partner_contract": (lambda s, w: pool_admin.save_partner_contract(
        s, w.coordinator, pool_admin.ContractInput("Kennispartner BV", 777, 120, 1, dt.date(2027, 1, 4))),
        "partner_contract"),
    "ledger.set_internal_rate": (lambda s, w: ledger.set_internal_rate(s, w.coordinator, 77), "cooperation"),
    # specialists
    "specialists.add_unavailability": (_leave, "unavailability"),
    "specialists.delete_unavailability": (lambda s, w: specialists.delete_unavailability(
        s, w.coordinator, _s0001(s), _leave(s, w).id), "unavailability"),
    "specialists.propose_skill_change": (_proposal, "skill_change"),
    "specialists.decide_skill_change": (lambda s, w: specialists.decide_skill_change(
        s, w.coordinator, _proposal(s, w).id, True), "skill_change"),
    "specialists.create_specialist": (lambda s, w: specialists.create_specialist(s, w.coordinator, specialists.
        SpecialistInput("Nieuwe Collega", w.request_a.municipality_id, 12, code="S9999")), "specialist"),
    "specialists.update_specialist": (lambda s, w: specialists.update_specialist(s, w.coordinator, _s0001(s).id,
        specialists.SpecialistInput(_s0001(s).name, _s0001(s).municipality_id, 20)), "specialist"),
    "specialists.set_skill_level": (lambda s, w: specialists.set_skill_level(
        s, w.coordinator, _s0001(s).id, _s0001(s).skills[0].skill_id, 5 if _s0001(s).skills[0].level != 5 else 4),
        "specialist"),
    # requests
    "requests.create_request": (_new_request, "request"),
    "requests.update_request": (lambda s, w: requests.update_request(
        s, w.lead_a, _new_request(s, w).id, _request_input(s, "Anders")), "request"),
    "requests.submit_request": (lambda s, w: requests.submit_request(s, w.lead_a, _new_request(s, w).id),
                                "request"),
    "requests.cancel_request": (lambda s, w: requests.cancel_request(s, w.lead_a, _new_request(s, w).id, "weg"),
                                "request"),
    "requests.decide_request": (lambda s, w: requests.decide_request(
        s, w.coordinator, _new_request(s, w, submit=True).id, True), "request"),
    # plans
    "plan_edits.revise": (_draft, "plan"),
    "plan_edits.set_assignment": (lambda s, w: plan_edits.set_assignment(s, _draft(s, w).id, w.coordinator,
        plan_edits.Change(w.request_a.code, 0, "S0001", 4, 8, False, "overlegd")), "plan"),
    "planning.publish_plan": (lambda s, w: planning.publish_plan(s, _draft(s, w).id, w.coordinator, "klaar"),
                              "plan"),
    "exchange.import_instance": (lambda s, w: exchange.import_instance(s, json.loads(SAMPLE.read_text("utf-8")),
                                                                       w.coordinator), "instance"),
    "exchange.import_plan": (lambda s, w: exchange.import_plan(s, exchange.export_plan(s, _draft(s, w).id),
                                                               actor=w.coordinator), "plan"),
    # runs, scenarios, jobs
    "runs.start_run": (lambda s, w: runs.start_run(s, w.coordinator, "greedy", 5), "planner_run"),
    "runs.request_stop": (lambda s, w: runs.request_stop(s, runs.start_run(s, w.coordinator, "greedy", 5).id,
                                                         w.coordinator), "planner_run"),
    "runs.execute_run": (lambda s, w: runs.execute_run(runs.start_run(s, w.coordinator, "greedy", 5).id,
                                                       s.get_bind().engine.url.render_as_string(False)),
                         "planner_run"),
    "scenarios.create_scenario": (_scenario, "scenario"),
    "scenarios.rename_scenario": (lambda s, w: scenarios.rename_scenario(s, w.coordinator, _scenario(s, w), "Nu"),
                                  "scenario"),
    "scenarios.add_change": (lambda s, w: scenarios.add_change(s, w.coordinator, _scenario(s, w),
                                                               scenarios.Change("more-hours", specialist="S0001",
                                                                                hours=4)), "scenario"),
    "scenarios.remove_change": (lambda s, w: scenarios.remove_change(s, w.coordinator, scenarios.add_change(
        s, w.coordinator, _scenario(s, w), scenarios.Change("more-hours", specialist="S0001", hours=4)).id, 0),
        "scenario"),
    "scenarios.delete_scenario": (lambda s, w: scenarios.delete_scenario(s, w.coordinator, _scenario(s, w)),
                                  "scenario"),
    "jobs.set_schedule": (lambda s, w: jobs.set_schedule(s, w.coordinator, "weekly-digest", "0 7 * * tue", True),
                          "job"),
    "jobs.request_run_now": (lambda s, w: jobs.request_run_now(s, w.coordinator, "weekly-digest"), "job"),
    "jobs.execute_job": (lambda s, w: jobs.execute_job(s, "weekly-digest"), "job"),
    "recurring.monthly_close": (lambda s, w: jobs.execute_job(
        s, "monthly-close", now=dt.datetime(2027, 2, 1, 3, tzinfo=dt.UTC)), "ledger_month"),
}


def _has_before_and_after(changes: dict[str, Any]) -> bool:
    return any(isinstance(v, list) and len(v) == 2 and v[0] != v[1] for v in changes.values())


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_changing_service_audits_who_when_and_what_before_and_after(
    session: Session, name: str
) -> None:
    world = build_world(session)
    step, entity = SERVICES[name]
    last = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)

    step(session, world)

    session.expire_all()
    rows = list(session.scalars(select(AuditEvent).where(AuditEvent.id > last, AuditEvent.entity == entity)
                                .order_by(AuditEvent.id)))
    assert rows, f"{name} left no audit row on {entity}"
    row = rows[-1]
    assert row.actor, f"{name}: no actor"
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
    assert at >= started, f"{name}: no time"
    assert _has_before_and_after(row.changes), f"{name}: no [before, after] in {row.changes}"


def test_a_contribution_that_ends_is_audited_with_its_old_and_new_end(session: Session) -> None:
    world = build_world(session)
    town = world.request_a.municipality_id
    current = session.scalars(select(Contribution).where(Contribution.municipality_id == town,
                                                         Contribution.valid_to.is_(None))).one()
    pool_admin.add_contribution(session, world.coordinator, town, 30, dt.date(2027, 3, 1), "meer uren")
    ended = session.scalars(select(AuditEvent).where(AuditEvent.entity == "contribution",
                                                     AuditEvent.entity_id == str(current.id))).one()
    assert ended.changes == {"valid_to": [None, "2027-02-28"]} and ended.reason == "meer uren"


# Writers that are no change by a person or a job of the cooperation's data, or are audited by the service they
# hand the change to; each with the reason.
NOT_ON_THE_LIST = {
    "audit.record": "the audit trail itself",
    "transaction.transaction": "the transaction helper every service uses",
    "notifications.notify": "adds the notifications of a change to the caller's transaction, which audits it",
    "accounts.authenticate": "a log-in changes no data; it is audited as login / login-failed",
    "backup.restore": "brings back the audit trail itself (see the module's docstring)",
    "demo.load_demo": "fills through import_instance and publish_plan, which are audited",
    "jobs.schedules": "creates the default schedule rows the first time the jobs are listed",
    "jobs.take_run_now_requests": "the scheduler clears the run-now marks it takes; execute_job audits the run",
    "jobs.fail_interrupted_job_runs": "audited as fail (status running -> failed); needs a dead scheduler",
    "runs.fail_interrupted_runs": "audited as fail (status running -> failed); needs a dead scheduler",
    "notifications.mark_all_read": "reading the bell",
    "throttle.claim": "the login throttle's counter",
    "throttle.forget": "the login throttle's counter",
    "scenarios.store_plan": "part of a planner run, which execute_run audits",
    "recurring.nightly_replan": "a planner run, audited by runs",
    "recurring.weekly_digest": "notifications only; execute_job audits the run with its outcome",
    "recurring.window_reminder": "notifications only; execute_job audits the run with its outcome",
}


def test_the_list_names_every_service_that_writes() -> None:
    import ast
    from pathlib import Path

    writes = ("record(", "commit(", "transaction(", "session.add(", "session.delete(", "session.execute(update")
    found = set()
    for path in sorted(Path(__file__).parents[2].joinpath("pool", "services").glob("*.py")):
        source = path.read_text("utf-8")
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                body = ast.get_source_segment(source, node) or ""
                if any(w in body for w in writes):
                    found.add(f"{path.stem}.{node.name}")
    listed = {name.split(" ")[0] for name in SERVICES} | set(NOT_ON_THE_LIST)
    missing = sorted(found - listed)
    assert not missing, missing
