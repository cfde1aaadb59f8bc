"""`pool backup` and `pool restore`: the whole cooperation out and back, the same document, all or nothing."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from pool.errors import PoolError
from pool.models import AuditEvent, Plan, User
from pool.services.backup import backed_up_tables, backup, restore
from pool.services.demo import load_demo
from tests.conftest import empty_tables


def test_backup_then_restore_into_an_empty_database_then_backup_gives_the_same_document(
    session: Session, engine: Engine
) -> None:
    load_demo(session, "S", 1)
    first = backup(session)
    assert first["tables"]["user_account"]["rows"] and first["tables"]["audit_event"]["rows"]
    assert first["tables"]["plan"]["rows"] and first["tables"]["assignment"]["rows"]
    empty_tables(engine)
    session.expire_all()
    restore(session, json.loads(json.dumps(first)))
    assert json.dumps(backup(session)) == json.dumps(first)
    # the restored database works on: new rows get fresh ids (sequences follow on PostgreSQL)
    session.add(AuditEvent(actor="test", action="check", entity="backup"))
    session.commit()


def test_restore_on_postgresql_gathers_the_planner_statistics_of_every_table(session: Session, engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the planner statistics are PostgreSQL's (ANALYZE)")
    load_demo(session, "S", 1)
    doc = backup(session)
    empty_tables(engine)
    session.expire_all()
    with engine.connect() as conn:
        before = conn.scalar(text("SELECT clock_timestamp()"))
    restore(session, doc)
    with engine.connect() as conn:  # a new connection: statistics views are read once per transaction
        stats = conn.execute(text("SELECT relname, last_analyze FROM pg_stat_user_tables")).all()
        analyzed: dict[str, Any] = dict(stats)
        assignments = conn.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'assignment'"))
    assert all(analyzed[t.name] is not None and analyzed[t.name] >= before for t in backed_up_tables())
    assert assignments == len(doc["tables"]["assignment"]["rows"])


def test_restore_refuses_a_database_that_is_not_empty(session: Session) -> None:
    load_demo(session, "S", 1)
    doc = backup(session)
    with pytest.raises(PoolError, match="not empty"):
        restore(session, doc)


def test_a_bad_value_is_refused_with_its_path_and_nothing_is_restored(session: Session, engine: Engine) -> None:
    load_demo(session, "S", 1)
    doc = backup(session)
    empty_tables(engine)
    bad = copy.deepcopy(doc)
    bad["tables"]["plan"]["rows"][0][0] = "one"
    with pytest.raises(PoolError, match=r"tables\.plan\.rows\[0\]\[0\]: id must be a whole number"):
        restore(session, bad)
    broken = copy.deepcopy(doc)  # a row that points at nothing: the database refuses it, late in the load
    user_columns = broken["tables"]["user_account"]["columns"]
    broken["tables"]["user_account"]["rows"][-1][user_columns.index("municipality_id")] = 999999
    with pytest.raises(PoolError, match="nothing was restored"):
        restore(session, broken)
    assert session.scalar(select(func.count()).select_from(Plan)) == 0
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_pool_backup_and_restore_on_the_command_line(tmp_path: Path) -> None:
    def pool(url: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pool", *args], env=os.environ | {"POOL_DATABASE_URL": url},
                              capture_output=True, text=True, cwd=tmp_path, timeout=300)

    a, b = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    assert pool(a, "demo").returncode == 0
    assert pool(a, "backup", "one.json").returncode == 0
    restored = pool(b, "restore", "one.json")
    assert restored.returncode == 0, restored.stderr
    assert pool(b, "backup", "two.json").returncode == 0
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    again = pool(b, "restore", "one.json")
    assert again.returncode == 1 and "not empty" in again.stderr and "Traceback" not in again.stderr
