"""Planning the stored situation, publishing, and `pool solve` on files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.errors import PoolError
from pool.models import AuditEvent, Plan, Request
from pool.services.exchange import export_instance, export_plan, import_instance
from pool.services.planning import plan_situation, publish_plan
from pool.translate import instance_from_document
from solver import validate
from solver.config import PlanningConfig
from solver.instance import Assignment
from tests.conftest import SAMPLE
from tests.integration.test_cli import run

FAST = PlanningConfig(time_limit=3, workers=1, reproducible=True)


def plan_assignments(doc: dict) -> list[Assignment]:
    return [Assignment(a["request"], a["need"], a["specialist"], a["week"], a["hours"]) for a in doc["assignments"]]


@pytest.mark.parametrize("method", ["greedy", "cp-sat"])
def test_a_stored_plan_is_valid_against_the_situation_it_was_made_for(session: Session, method: str) -> None:
    import_instance(session, json.loads(SAMPLE.read_text()))
    situation = export_instance(session)
    plan = plan_situation(session, FAST, method=method)
    assert plan.status == "draft" and plan.parameters["method"] == method
    doc = export_plan(session, plan.id)
    assert validate(instance_from_document(situation), plan_assignments(doc)) == []
    # The pinned assignment of the plan in force is kept.
    assert {"request": "R00001", "need": 0, "specialist": "S0001", "week": 1, "hours": 8, "pinned": True} in doc[
        "assignments"
    ]


def test_publishing_supersedes_the_plan_in_force_and_marks_requests_planned(session: Session) -> None:
    import_instance(session, json.loads(SAMPLE.read_text()))
    before = session.scalars(select(Plan).where(Plan.status == "published")).one()
    plan = plan_situation(session, FAST, method="greedy")
    publish_plan(session, plan.id, actor="cli", reason="weekly planning")
    assert session.get(Plan, before.id).status == "superseded"
    assert session.get(Plan, plan.id).status == "published"
    planned = {r.code for r in session.scalars(select(Request).where(Request.status == "planned"))}
    assert "R00001" in planned
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "publish")).one()
    assert event.reason == "weekly planning"
    with pytest.raises(PoolError, match="only a draft"):
        publish_plan(session, plan.id)


def test_pool_solve_writes_a_valid_plan_and_is_reproducible(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/unused.db"
    args = ["solve", str(SAMPLE), "--time-limit", "2", "--reproducible", "--seed", "5"]
    first = run(url, *args, "-o", str(tmp_path / "a.json"))
    assert first.returncode == 0, first.stderr
    assert run(url, *args, "-o", str(tmp_path / "b.json")).returncode == 0
    a, b = (json.loads((tmp_path / f).read_text()) for f in ("a.json", "b.json"))
    assert a["format"] == "pool-plan/1" and a["solver"]["mode"] == "reproducible"
    assert a["assignments"] == b["assignments"]
    instance = instance_from_document(json.loads(SAMPLE.read_text()))
    assert validate(instance, plan_assignments(a)) == []


def test_pool_solve_refuses_a_bad_instance_in_one_line(tmp_path: Path) -> None:
    doc = json.loads(SAMPLE.read_text())
    doc["requests"][0]["start_week"] = 99
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    result = run(f"sqlite:///{tmp_path}/unused.db", "solve", str(tmp_path / "bad.json"))
    assert result.returncode == 1 and "$.requests[0].start_week" in result.stderr
    assert "Traceback" not in result.stderr


def test_pool_explain_gives_the_score_per_rule_and_why_each_specialist(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/unused.db"
    assert run(url, "solve", str(SAMPLE), "--time-limit", "2", "-o", str(tmp_path / "p.json")).returncode == 0
    score = run(url, "explain", str(SAMPLE), str(tmp_path / "p.json"))
    assert score.returncode == 0, score.stderr
    assert "fill" in score.stdout and "partner_cost" in score.stdout
    why = run(url, "explain", str(SAMPLE), str(tmp_path / "p.json"), "--request", "R00002")
    assert why.returncode == 0, why.stderr
    plan = json.loads((tmp_path / "p.json").read_text())
    assigned = {a["specialist"] for a in plan["assignments"] if a["request"] == "R00002"}
    unmet = [u for u in plan["unmet"] if u["request"] == "R00002"]
    assert all(f"({sid}," in why.stdout for sid in assigned)
    assert all(u["reason"] in why.stdout for u in unmet)
    assert assigned or unmet
    missing = run(url, "explain", str(SAMPLE), str(tmp_path / "p.json"), "--request", "R09999")
    assert missing.returncode == 1 and "no request 'R09999'" in missing.stderr
