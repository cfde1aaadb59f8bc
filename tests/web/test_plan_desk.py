"""The planning desk: runs as jobs, hand edits checked by the validator, who fits, revise and publish."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.models import AuditEvent, Notification, Plan, PlannerRun, Request, Specialist
from pool.services import runs
from pool.services.plan_figures import plan_figures
from tests.web.conftest import HTMX, World, close_app, log_in, make_app

JSON = {"Accept": "application/json"}


@pytest.fixture
def coord(client: FlaskClient, world: World) -> FlaskClient:
    return log_in(client, world.coordinator)


@pytest.fixture
def app(engine, database_url, world):  # type: ignore[no-untyped-def]
    """The test app without a scheduler: a test runs the job itself, as the scheduler would."""
    app = make_app(database_url, SCHEDULER="off")
    yield app
    close_app(app)


def _published(session: Session) -> Plan:
    return session.scalars(select(Plan).where(Plan.status == "published")).one()


def _start(coord: FlaskClient, **form: str) -> int:
    response = coord.post("/plans/runs", data={"method": "greedy", "time_limit": "5", "frozen_weeks": "0"} | form)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_run_is_recorded_by_the_request_and_executed_by_the_job_leaving_a_draft(
    coord: FlaskClient, session: Session, database_url: str
) -> None:
    published = _published(session)
    before = {(a.need_id, a.specialist_id, a.week, a.hours) for a in published.assignments}
    run_id = _start(coord)
    answer = coord.get(f"/plans/runs/{run_id}", headers=JSON).get_json()
    assert answer == {"status": "queued", "plan_id": None, "progress": {}, "message": ""}

    runs.execute_run(run_id, database_url)

    answer = coord.get(f"/plans/runs/{run_id}", headers=JSON).get_json()
    assert answer["status"] == "finished" and answer["plan_id"] is not None
    assert answer["progress"]["step"] == "done" and sum(answer["progress"]["filled_by_priority"].values()) > 0
    session.expire_all()
    draft = session.get(Plan, answer["plan_id"])
    assert draft is not None and draft.status == "draft" and draft.assignments
    assert draft.parameters["method"] == "greedy" and draft.parameters["run"] == run_id
    still = _published(session)
    assert still.id == published.id
    assert {(a.need_id, a.specialist_id, a.week, a.hours) for a in still.assignments} == before


def test_the_run_page_polls_while_the_run_goes_and_stops_polling_when_it_ends(
    coord: FlaskClient, database_url: str
) -> None:
    run_id = _start(coord)
    panel = coord.get(f"/plans/runs/{run_id}", headers=HTMX | {"HX-Target": "run-panel"}).get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in panel and "<html" not in panel
    runs.execute_run(run_id, database_url)
    panel = coord.get(f"/plans/runs/{run_id}", headers=HTMX | {"HX-Target": "run-panel"}).get_data(as_text=True)
    assert "hx-trigger" not in panel
    page = coord.get(f"/plans/runs/{run_id}").get_data(as_text=True)
    assert 'id="run-panel"' in page and "/plans/" in page


def test_a_second_run_is_refused_while_one_is_queued_or_running(coord: FlaskClient, world: World) -> None:
    first = _start(coord)
    response = coord.post("/plans/runs", data={"method": "planner", "time_limit": "5", "frozen_weeks": "0"})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert f"run {first}" in text and world.coordinator.name in text


def test_the_database_refuses_two_active_runs_even_when_the_check_is_raced(session: Session, world: World) -> None:
    session.add(PlannerRun(method="greedy", time_limit=5, status="queued", active=True))
    session.commit()
    session.add(PlannerRun(method="greedy", time_limit=5, status="running", active=True))
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        session.commit()
    session.rollback()


@pytest.mark.parametrize(("field", "value"), [("time_limit", "0"), ("time_limit", "nan"), ("time_limit", "99999"),
                                              ("frozen_weeks", "-1"), ("frozen_weeks", "99"), ("method", "magic")])
def test_bad_run_parameters_are_refused_on_the_form(coord: FlaskClient, session: Session, field: str,
                                                    value: str) -> None:
    data = {"method": "greedy", "time_limit": "5", "frozen_weeks": "0"} | {field: value}
    response = coord.post("/plans/runs", data=data)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True) or "form-errors" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(PlannerRun)) == 0


def test_stopping_a_queued_run_ends_it_without_a_plan(coord: FlaskClient, session: Session,
                                                     database_url: str) -> None:
    run_id = _start(coord)
    assert coord.post(f"/plans/runs/{run_id}/stop").status_code == 303
    runs.execute_run(run_id, database_url)  # the scheduler picks it up after all: nothing happens
    answer = coord.get(f"/plans/runs/{run_id}", headers=JSON).get_json()
    assert answer["status"] == "stopped" and answer["plan_id"] is None
    assert session.scalar(select(func.count()).select_from(Plan).where(Plan.status == "draft")) == 0


def test_a_stop_asked_of_a_running_planner_keeps_the_best_plan_found(coord: FlaskClient, session: Session,
                                                                    database_url: str) -> None:
    run_id = _start(coord, method="planner", time_limit="60")
    runner = threading.Thread(target=runs.execute_run, args=(run_id, database_url))
    runner.start()
    for _ in range(200):
        if coord.get(f"/plans/runs/{run_id}", headers=JSON).get_json()["status"] == "running":
            break
        time.sleep(0.05)
    coord.post(f"/plans/runs/{run_id}/stop")
    runner.join(60)
    answer = coord.get(f"/plans/runs/{run_id}", headers=JSON).get_json()
    # a tiny instance may be solved to optimality before the stop arrives; either way a draft is left
    assert answer["status"] in ("stopped", "finished") and answer["plan_id"] is not None
    session.expire_all()
    assert session.get(Plan, answer["plan_id"]).status == "draft"  # type: ignore[union-attr]


def test_runs_left_running_by_a_stopped_server_are_marked_failed(session: Session, world: World) -> None:
    session.add_all([PlannerRun(method="planner", time_limit=5, status="running", active=True)])
    session.commit()
    assert runs.fail_interrupted_runs(session) == 1
    run = session.scalars(select(PlannerRun)).one()
    assert run.status == "failed" and run.active is None and run.message == runs.INTERRUPTED


def test_a_run_that_breaks_is_marked_failed_and_the_published_plan_stays(
    coord: FlaskClient, session: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = _start(coord)
    monkeypatch.setattr("solver.greedy", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    runs.execute_run(run_id, database_url)
    answer = coord.get(f"/plans/runs/{run_id}", headers=JSON).get_json()
    assert answer == {"status": "failed", "plan_id": None, "progress": answer["progress"], "message": "boom"}
    session.expire_all()
    assert _published(session).name == "test"


def _draft(coord: FlaskClient, session: Session) -> Plan:
    published = _published(session)
    response = coord.post(f"/plans/{published.id}/revise", data={"reason": "hand work"})
    assert response.status_code == 303
    session.expire_all()
    return session.scalars(select(Plan).where(Plan.status == "draft")).one()


def _form(world: World, **values: object) -> dict[str, str]:
    form: dict[str, object] = {"request": world.request_a.code, "need": 0, "specialist": "S0001", "week": 1,
                               "hours": 12, "reason": "talked to the team lead"}
    return {k: str(v) for k, v in (form | values).items() if v is not None}


def test_revise_copies_a_published_plan_into_a_draft(coord: FlaskClient, session: Session) -> None:
    published = _published(session)
    draft = _draft(coord, session)
    assert draft.parameters["revised_from"] == published.id
    assert sorted((a.need_id, a.specialist_id, a.week, a.hours) for a in draft.assignments) == sorted(
        (a.need_id, a.specialist_id, a.week, a.hours) for a in published.assignments)
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "revise")).one().reason == "hand work"


def test_a_hand_edit_over_capacity_is_refused_with_the_rule_and_the_numbers(
    coord: FlaskClient, session: Session, world: World
) -> None:
    draft = _draft(coord, session)
    before = sorted((a.need_id, a.specialist_id, a.week, a.hours) for a in draft.assignments)
    # S0001 has 16 pool hours a week; week 1 (2027-W02) already holds 12 of them on this need
    response = coord.post(f"/plans/{draft.id}/assignments", data=_form(world, hours=24))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "A. de Vries" in text
    assert "16" in text and "24" in text
    session.expire_all()
    assert sorted((a.need_id, a.specialist_id, a.week, a.hours) for a in session.get(Plan, draft.id).assignments) \
        == before  # type: ignore[union-attr]


def test_a_hand_edit_outside_the_window_or_skill_is_refused_and_nothing_changes(
    coord: FlaskClient, session: Session, world: World
) -> None:
    draft = _draft(coord, session)
    outside = coord.post(f"/plans/{draft.id}/assignments", data=_form(world, week=7, hours=4), headers=HTMX)
    assert outside.status_code == 422 and "valt buiten de periode van aanvraag" in outside.get_data(as_text=True)
    assert "<html" not in outside.get_data(as_text=True)  # htmx gets the message alone, for the form it came from
    unskilled = coord.post(f"/plans/{draft.id}/assignments", data=_form(world, specialist="S0002", hours=4))
    assert unskilled.status_code == 422
    assert "M. van den Berg heeft niveau 0 in deze vaardigheid; de aanvraag vraagt ten minste niveau 3" in \
        unskilled.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "assign")) == 0


def test_a_valid_hand_edit_is_saved_rescored_and_audited(coord: FlaskClient, session: Session,
                                                         world: World) -> None:
    draft = _draft(coord, session)
    fill = draft.kpis.get("filled_hours")
    response = coord.post(f"/plans/{draft.id}/assignments", data=_form(world, week=4, hours=8, pinned=1))
    assert response.status_code == 303
    session.expire_all()
    plan = session.get(Plan, draft.id)
    assert plan is not None
    row = next(a for a in plan.assignments if (a.week - plan.horizon_start).days // 7 == 4)
    assert row.hours == 8 and row.pinned and row.pin_reason == "talked to the team lead"
    assert plan.kpis["filled_hours"] == sum(a.hours for a in plan.assignments) != fill
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "assign")).one()
    assert event.changes["hours"] == [0, 8] and event.reason == "talked to the team lead"
    removed = coord.post(f"/plans/{draft.id}/assignments", data=_form(world, week=4, hours=0))
    assert removed.status_code == 303
    session.expire_all()
    assert all((a.week - plan.horizon_start).days // 7 != 4 for a in session.get(Plan, draft.id).assignments)  # type: ignore[union-attr]


def test_the_figures_of_a_draft_follow_every_hand_edit(coord: FlaskClient, session: Session, world: World) -> None:
    draft = _draft(coord, session)
    seen = []
    for hours in (8, 4, 0):  # a draft keeps its id and creation time through every edit; only its version moves
        assert coord.post(f"/plans/{draft.id}/assignments", data=_form(world, week=4, hours=hours)).status_code == 303
        session.expire_all()
        plan = session.get(Plan, draft.id)
        assert plan is not None
        seen.append(plan_figures(session, [draft.id])[draft.id].filled_hours)
        assert seen[-1] == sum(a.hours for a in plan.assignments)
    assert seen[0] - seen[1] == 4 and seen[1] - seen[2] == 4


def test_a_hand_edit_needs_a_reason(coord: FlaskClient, session: Session, world: World) -> None:
    draft = _draft(coord, session)
    response = coord.post(f"/plans/{draft.id}/assignments", data=_form(world, week=2, hours=4, reason=None))
    assert response.status_code == 422


def test_a_published_plan_is_never_edited_in_place(coord: FlaskClient, session: Session, world: World) -> None:
    published = _published(session)
    response = coord.post(f"/plans/{published.id}/assignments", data=_form(world, week=2, hours=4))
    assert response.status_code == 422
    assert "maak er een nieuw concept van" in response.get_data(as_text=True)  # the refusal, in Dutch


def test_who_fits_ranks_the_qualified_specialists_and_shows_the_partner_budget(
    coord: FlaskClient, session: Session, world: World
) -> None:
    draft = _draft(coord, session)
    page = coord.get(f"/plans/{draft.id}/fits?request={world.request_a.code}&need=0")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    s1 = session.scalars(select(Specialist).where(Specialist.code == "S0001")).one()
    s3 = session.scalars(select(Specialist).where(Specialist.code == "S0003")).one()
    assert s1.name in text and s3.name not in text.split("<h2>")[0]  # S0003 holds level 2, the need asks 3
    assert "40" in text  # the partner budget left: none of it used


def test_a_run_from_a_draft_keeps_its_pinned_assignments(coord: FlaskClient, session: Session, world: World,
                                                        database_url: str) -> None:
    draft = _draft(coord, session)
    assert coord.post(f"/plans/{draft.id}/assignments",
                      data=_form(world, week=4, hours=3, pinned=1)).status_code == 303
    run_id = _start(coord, base_plan=str(draft.id))
    runs.execute_run(run_id, database_url)
    session.expire_all()
    run = session.get(PlannerRun, run_id)
    assert run is not None and run.status == "finished", run.message
    kept = [a for a in run.plan.assignments if (a.week - run.plan.horizon_start).days // 7 == 4  # type: ignore[union-attr]
            and a.specialist.code == "S0001" and a.need.request_id == world.request_a.id]
    assert [(a.hours, a.pinned) for a in kept] == [(3, True)]


def test_publishing_supersedes_the_old_plan_and_tells_those_whose_assignments_changed(
    coord: FlaskClient, session: Session, world: World, app: Flask
) -> None:
    old = _published(session)
    draft = _draft(coord, session)
    coord.post(f"/plans/{draft.id}/assignments", data=_form(world, week=2, hours=4))
    assert coord.post(f"/plans/{draft.id}/publish", data={"reason": ""}).status_code == 422
    assert coord.post(f"/plans/{draft.id}/publish", data={"reason": "agreed in the board"}).status_code == 303
    session.expire_all()
    assert session.get(Plan, old.id).status == "superseded"  # type: ignore[union-attr]
    assert session.get(Plan, draft.id).status == "published"  # type: ignore[union-attr]
    told = {n.user_id for n in session.scalars(select(Notification))}
    assert told == {world.spec_a.id, world.lead_a.id}  # S0001 works for Dordrecht; Zwijndrecht is untouched
    assert session.get(Request, world.request_a.id).status == "planned"  # type: ignore[union-attr]
    specialist = app.test_client()
    log_in(specialist, world.spec_a)
    assert "1 ongelezen" in specialist.get("/me/").get_data(as_text=True)
    listing = specialist.get("/notifications/").get_data(as_text=True)
    assert f"Planning {draft.id} is gepubliceerd en je inzet is veranderd." in listing
    assert "ongelezen" not in specialist.get("/me/").get_data(as_text=True)


def test_unknown_runs_and_plans_are_not_found(coord: FlaskClient, world: World) -> None:
    assert coord.get("/plans/runs/999999", headers=JSON).status_code == 404
    assert coord.post("/plans/runs/999999/stop").status_code == 404
    assert coord.post("/plans/999999/assignments", data=_form(world)).status_code == 404
    assert coord.get("/plans/999999/fits?request=R00001&need=0").status_code == 404
    assert coord.post("/plans/999999/publish", data={"reason": "x"}).status_code == 404
    assert coord.post("/plans/999999/revise", data={"reason": "x"}).status_code == 404
