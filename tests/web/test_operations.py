"""The coordinator's jobs page, /healthz without a session, and the audit trail with its filters and CSV."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from pool.models import JobSchedule
from pool.services.audit import record
from tests.web.conftest import World, log_in


def test_healthz_answers_without_a_session_with_the_database_and_the_heartbeat(client: FlaskClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["database"] == "ok" and "heartbeat_age_seconds" in body["scheduler"]


def test_the_jobs_page_lists_every_job_with_its_schedule_and_next_run(client: FlaskClient, world: World) -> None:
    page = log_in(client, world.coordinator).get("/jobs").get_data(as_text=True)
    for job_id in ("nightly-replan", "weekly-digest", "window-reminder", "monthly-close"):
        assert f'id="job-{job_id}"' in page
    assert "0 6 * * mon" in page


def test_run_now_is_recorded_for_the_scheduler(app: Flask, client: FlaskClient, session: Session,
                                               world: World) -> None:
    app.config["SCHEDULER"] = "external"
    log_in(client, world.coordinator).get("/jobs")
    assert client.post("/jobs/weekly-digest/run").status_code in (302, 303)
    session.expire_all()
    assert session.get(JobSchedule, "weekly-digest").run_now_requested_at is not None  # type: ignore[union-attr]


def test_a_wrong_schedule_is_refused_on_the_page_with_what_was_typed(client: FlaskClient, world: World) -> None:
    answer = log_in(client, world.coordinator).post("/jobs/weekly-digest", data={"cron": "0 25 * * *", "enabled": "1"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'value="0 25 * * *"' in page and "is geen schema" in page  # the domain's refusal, in Dutch


def _events(session: Session, world: World) -> None:
    record(session, world.lead_a, "update", "request", world.request_a.code, {"before": {"hours": 1}}, "typo")
    record(session, world.lead_b, "update", "request", world.request_b.code, {"before": {"hours": 2}})
    record(session, world.coordinator, "publish", "plan", 7, reason="weekly")
    session.commit()


def test_coordinators_filter_the_trail_and_download_it_as_csv(client: FlaskClient, session: Session,
                                                             world: World) -> None:
    _events(session, world)
    log_in(client, world.coordinator)
    page = client.get("/audit?action=publish").get_data(as_text=True)
    assert "weekly" in page and "typo" not in page
    body = client.get("/audit.csv?actor=tl-a").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["actor"], r["object_id"], r["reason"]) for r in rows] == [("tl-a", world.request_a.code, "typo")]
    assert client.get("/audit?since=yesterday").status_code == 422


def test_a_team_lead_reads_only_its_own_municipalitys_requests_trail(client: FlaskClient, session: Session,
                                                                    world: World) -> None:
    _events(session, world)
    rows = list(csv.DictReader(io.StringIO(log_in(client, world.lead_a).get("/audit.csv").get_data(as_text=True))))
    assert {r["object_id"] for r in rows} == {world.request_a.code}


def test_a_streamed_trail_gives_its_database_connection_back_when_it_ends(app: Flask, client: FlaskClient,
                                                                         session: Session, world: World) -> None:
    _events(session, world)
    log_in(client, world.lead_a)
    pool = app.extensions["pool_engine"].pool
    for _ in range(3):
        assert "typo" in client.get("/audit.csv").get_data(as_text=True)
        assert pool.checkedout() == 0  # none left open for the garbage collector to find
