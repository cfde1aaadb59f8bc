"""Recurring jobs by id: what each does, once; a failed one leaves nothing; mail through a real SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from pool.errors import PoolError
from pool.models import Assignment, AuditEvent, JobRun, LedgerClose, Notification, Plan, User
from pool.scheduler import Leadership
from pool.services import jobs, plan_edits, planning, recurring
from pool.services.ledger import ledger
from tests.web.conftest import World, build_world, close_app, log_in, make_app


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def _count(session: Session, model: Any, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Inbox]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("POOL_SMTP_URL", f"smtp://127.0.0.1:{port}")
    yield inbox
    controller.stop()


def test_the_weekly_digest_tells_specialists_their_changes_and_team_leads_their_requests_in_app_and_by_mail(
    session: Session, world: World, smtp: _Inbox
) -> None:
    world.spec_a.email, world.lead_b.email = "s-a@example.org", "tl-b@example.org"
    world.spec_a.locale = "en"  # the team lead keeps Dutch, the default
    session.commit()
    run = jobs.execute_job(session, "weekly-digest")
    assert run.status == "finished"
    mine = session.scalars(select(Notification).where(Notification.user_id == world.spec_a.id)).one()
    assert mine.kind == "digest_specialist" and mine.facts["changes"] == 2
    assert _count(session, Notification, Notification.user_id == world.spec_b.id) == 0  # nothing planned for S0002
    lead = session.scalars(select(Notification).where(Notification.user_id == world.lead_b.id)).one()
    assert lead.kind == "digest_team_lead" and sum(lead.facts["statuses"].values()) >= 1
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["s-a@example.org", "tl-b@example.org"]
    mail = _mails(smtp)
    assert mail["s-a@example.org"][0] == "Your new and changed assignments"
    assert "Weekly digest: 2 new or changed week(s) in your assignments." in mail["s-a@example.org"][1]
    assert "week of 2027-01-11: 12 h" in mail["s-a@example.org"][1]
    assert mail["tl-b@example.org"][0] == "Waar je aanvragen staan"
    assert "Weekoverzicht van je aanvragen: " in mail["tl-b@example.org"][1]
    assert "ingediend" in mail["tl-b@example.org"][1] or "goedgekeurd" in mail["tl-b@example.org"][1]
    jobs.execute_job(session, "weekly-digest")  # nothing changed since: the specialist hears nothing new
    assert _count(session, Notification, Notification.user_id == world.spec_a.id) == 1


def _mails(smtp: _Inbox) -> dict[str, tuple[str, str]]:
    """Subject and body of each message the SMTP server received, by recipient."""
    found = {}
    for m in smtp.messages:
        message = email.message_from_bytes(m.content, policy=email.policy.default)
        found[m.rcpt_tos[0]] = (str(message["Subject"]), message.get_content())  # type: ignore[attr-defined]
    return found


def test_notifications_speak_each_recipient_s_language_in_the_mail_and_in_the_app(
    session: Session, world: World, smtp: _Inbox, database_url: str
) -> None:
    request = world.request_b
    request.status, request.first_week = "submitted", dt.date(2027, 1, 11)
    world.lead_b.email, world.coordinator.email = "tl-b@example.org", "coord@example.org"
    world.coordinator.locale = "en"
    session.commit()
    jobs.execute_job(session, "window-reminder", now=dt.datetime(2027, 1, 4, 6, tzinfo=dt.UTC))

    mail = _mails(smtp)
    assert mail["tl-b@example.org"][0] == f"Nog niets ingepland voor {request.code}"
    assert f"Aanvraag {request.code} ({request.title}) begint op 11-01-2027 en er is nog niets voor ingepland." \
        in mail["tl-b@example.org"][1]
    assert mail["coord@example.org"][0] == f"Nothing planned yet for {request.code}"
    assert f"Request {request.code} ({request.title}) starts on 2027-01-11 and nothing is planned for it yet." \
        in mail["coord@example.org"][1]
    app = make_app(database_url, SCHEDULER="off")
    try:
        lead = log_in(app.test_client(), world.lead_b).get("/notifications/").get_data(as_text=True)
        coordinator = log_in(app.test_client(), world.coordinator).get("/notifications/").get_data(as_text=True)
    finally:
        close_app(app)
    assert "begint op 11-01-2027 en er is nog niets voor ingepland" in lead
    assert "starts on 2027-01-11 and nothing is planned for it yet" in coordinator


def test_publishing_tells_those_whose_assignments_changed_by_mail_too_each_in_its_own_language(
    session: Session, world: World, smtp: _Inbox
) -> None:
    world.spec_a.email, world.spec_a.locale = "s-a@example.org", "en"
    world.lead_a.email = "tl-a@example.org"
    session.commit()
    published = session.scalars(select(Plan).where(Plan.status == "published")).one()
    draft = plan_edits.revise(session, published.id, world.coordinator, "hand work")
    plan_edits.set_assignment(session, draft.id, world.coordinator, plan_edits.Change(
        world.request_a.code, 0, "S0001", 4, 8, False, "overlegd"))
    planning.publish_plan(session, draft.id, world.coordinator, "klaar")

    mail = _mails(smtp)
    assert mail["s-a@example.org"][0] == "Your assignments changed"
    assert mail["s-a@example.org"][1].strip() == f"Plan {draft.id} is published and your assignments changed."
    assert mail["tl-a@example.org"][0] == "Nieuwe planning voor je aanvragen"
    assert f"Planning {draft.id} is gepubliceerd" in mail["tl-a@example.org"][1]
    assert _count(session, Notification, Notification.user_id == world.spec_a.id) == 1


def test_a_job_that_breaks_half_way_leaves_nothing_of_its_work(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def breaks(s: Session, schedule: Any, now: dt.datetime) -> dict[str, Any]:
        recurring.weekly_digest(s, schedule, now)
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(jobs.JOBS, "weekly-digest", jobs.RecurringJob("weekly-digest", breaks, "0 6 * * mon"))
    run = jobs.execute_job(session, "weekly-digest")
    assert run.status == "failed" and run.message == "the disk is full"
    assert _count(session, Notification) == 0


def test_a_job_is_never_run_twice_at_once(session: Session, world: World) -> None:
    session.add(JobRun(job_id="weekly-digest", status="running", active=True))
    session.commit()
    run = jobs.execute_job(session, "weekly-digest")
    assert run.status == "skipped" and run.message == "already running"
    assert _count(session, Notification) == 0
    assert jobs.fail_interrupted_job_runs(session) == 1  # what a scheduler does when it takes over
    assert jobs.execute_job(session, "weekly-digest").status == "finished"


def test_the_reminder_warns_once_of_a_request_that_starts_within_two_weeks_with_nothing_planned(
    session: Session, world: World
) -> None:
    request = world.request_b
    request.status = "approved"
    session.commit()
    now = dt.datetime.combine(request.first_week - dt.timedelta(days=10), dt.time(6), dt.UTC)
    run = jobs.execute_job(session, "window-reminder", now=now)
    assert request.code in run.outcome["requests"]
    told = {n.user_id for n in session.scalars(select(Notification).where(Notification.kind == "window_reminder"))}
    assert world.lead_b.id in told and world.coordinator.id in told and world.lead_a.id not in told
    assert request.code not in jobs.execute_job(session, "window-reminder", now=now).outcome["requests"]
    early = dt.datetime.combine(request.first_week - dt.timedelta(days=20), dt.time(6), dt.UTC)
    request.status = "approved"
    session.get(jobs.JobSchedule, "window-reminder").state = {}  # type: ignore[union-attr]
    session.commit()
    assert request.code not in jobs.execute_job(session, "window-reminder", now=early).outcome["requests"]


def _helped(session: Session, world: World) -> Plan:
    """The published plan with S0001 of Dordrecht helping Zwijndrecht's request in January and February."""
    published = session.scalars(select(Plan).where(Plan.status == "published")).one()
    helper = world.spec_a.specialist
    assert helper is not None and helper.municipality_id != world.request_b.municipality_id
    need = world.request_b.needs[0]
    published.assignments += [Assignment(need=need, specialist=helper, week=dt.date(2027, 1, 25), hours=6),
                              Assignment(need=need, specialist=helper, week=dt.date(2027, 2, 1), hours=4)]
    session.commit()
    return published


CLOSE_OF_JANUARY = dt.datetime(2027, 2, 1, 3, tzinfo=dt.UTC)


def test_the_monthly_close_freezes_a_month_once(session: Session, world: World) -> None:
    _helped(session, world)
    rate = ledger(session, 2027).rate
    run = jobs.execute_job(session, "monthly-close", now=CLOSE_OF_JANUARY)
    assert run.status == "finished" and run.outcome["month"] == "2027-01"
    close = session.scalars(select(LedgerClose)).one()
    # The ledger's own figures of January: S0001 on Dordrecht's own request (12 + 8 h) is own hours, 6 h for
    # Zwijndrecht are given and received; February's 4 h are not January's.
    assert close.lines == [
        {"month": "2027-01", "municipality": "GM0505", "given_hours": 6, "received_hours": 0, "own_hours": 20,
         "net_hours": 6, "partner_hours": 0, "partner_cost_eur": 0, "settlement_eur": 6 * rate},
        {"month": "2027-01", "municipality": "GM0642", "given_hours": 0, "received_hours": 6, "own_hours": 0,
         "net_hours": -6, "partner_hours": 0, "partner_cost_eur": 0, "settlement_eur": -6 * rate},
    ]
    assert close.lines == [asdict(line) for line in ledger(session, 2027).lines if line.month == "2027-01"]
    assert jobs.execute_job(session, "monthly-close", now=CLOSE_OF_JANUARY).status == "skipped"
    assert _count(session, LedgerClose) == 1
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity == "ledger_month",
                                                     AuditEvent.action == "close")).one()
    assert event.actor == "scheduler" and event.changes == {"lines": [None, close.lines]}


def test_a_later_plan_change_does_not_change_a_closed_months_ledger(session: Session, world: World) -> None:
    published = _helped(session, world)
    assert jobs.execute_job(session, "monthly-close", now=CLOSE_OF_JANUARY).status == "finished"
    before = ledger(session, 2027)
    january = [line for line in before.lines if line.month == "2027-01"]
    february = [line for line in before.lines if line.month == "2027-02"]

    need, helper = world.request_b.needs[0], world.spec_a.specialist
    published.assignments += [Assignment(need=need, specialist=helper, week=dt.date(2027, 1, 18), hours=3),
                              Assignment(need=need, specialist=helper, week=dt.date(2027, 2, 8), hours=5)]
    published.version += 1  # as every change to a plan's assignments does (plan_edits): its figures are new
    session.commit()

    after = ledger(session, 2027)
    assert [line for line in after.lines if line.month == "2027-01"] == january  # frozen
    assert [line for line in after.lines if line.month == "2027-02"] != february  # open: the plan's figures
    given = {line.municipality: line.given_hours for line in after.totals}
    assert given["GM0505"] == 6 + 4 + 5  # the year adds the frozen January to the open months
    team_lead = ledger(session, 2027, "GM0642")
    assert [line.received_hours for line in team_lead.lines if line.month == "2027-01"] == [6]


def test_the_nightly_replan_leaves_a_draft_and_never_touches_the_published_plan(
    session: Session, world: World
) -> None:
    published = session.scalars(select(Plan).where(Plan.status == "published")).one()
    cells = sorted((a.need_id, a.specialist_id, a.week, a.hours) for a in published.assignments)
    session.get(jobs.JobSchedule, "nightly-replan") or jobs.schedules(session)
    session.get(jobs.JobSchedule, "nightly-replan").state = {"time_limit": 5}  # type: ignore[union-attr]
    session.commit()
    run = jobs.execute_job(session, "nightly-replan")
    assert run.status == "finished", run.message
    session.expire_all()
    assert session.get(Plan, run.outcome["draft"]).status == "draft"  # type: ignore[union-attr]
    again = session.scalars(select(Plan).where(Plan.status == "published")).one()
    assert again.id == published.id
    assert sorted((a.need_id, a.specialist_id, a.week, a.hours) for a in again.assignments) == cells


def test_a_coordinator_changes_a_schedule_and_a_wrong_one_is_refused_in_words(session: Session, world: World) -> None:
    with pytest.raises(PoolError, match="five fields"):
        jobs.set_schedule(session, world.coordinator, "weekly-digest", "every monday", True)
    with pytest.raises(PoolError, match="is not a schedule"):
        jobs.set_schedule(session, world.coordinator, "weekly-digest", "0 25 * * *", True)
    session.rollback()
    jobs.set_schedule(session, world.coordinator, "weekly-digest", "0  7 * * tue", True)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "schedule")).one()
    assert event.changes == {"cron": ["0 6 * * mon", "0 7 * * tue"]}
    nxt = jobs.next_runs(session)["weekly-digest"]
    assert nxt is not None and nxt.weekday() == 1 and nxt.hour == 7


def test_only_one_scheduler_leads_and_another_takes_over_when_it_lets_go(engine: Engine, session: Session) -> None:
    a, b = Leadership(engine, "test:1:a"), Leadership(engine, "test:2:b")
    assert a.try_acquire()
    assert not b.try_acquire()
    assert a.renew() and not b.try_acquire()
    a.release()
    assert b.try_acquire()
    assert not a.try_acquire()
    b.release()
    session.execute(select(User).limit(1))
