"""The `pool` command as a user runs it: a real process on the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pool.formats import validate_instance
from pool.models import AuditEvent, Municipality, User
from pool.services.accounts import authenticate
from tests.conftest import SAMPLE, empty_tables

POOL = [sys.executable, "-m", "pool"]


def run(url: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"POOL_DATABASE_URL": url}
    return subprocess.run([*POOL, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


@pytest.fixture
def url(database_url: str, engine: Engine) -> str:
    empty_tables(engine)
    yield database_url
    empty_tables(engine)


def test_demo_then_export_gives_a_valid_document_that_imports_into_an_empty_database_unchanged(
    url: str, engine: Engine, tmp_path: Path
) -> None:
    assert run(url, "init").returncode == 0
    demo = run(url, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "coordinator-demo" in demo.stdout and "tl-gm0505" in demo.stdout
    assert run(url, "export", "-o", str(tmp_path / "x.json")).returncode == 0
    first = json.loads((tmp_path / "x.json").read_text())
    validate_instance(first)
    assert len(first["municipalities"]) == 10 and first["municipalities"][0]["id"].startswith("GM")

    empty_tables(engine)
    imported = run(url, "import", str(tmp_path / "x.json"))
    assert imported.returncode == 0, imported.stderr
    assert run(url, "export", "-o", str(tmp_path / "y.json")).returncode == 0
    assert json.loads((tmp_path / "y.json").read_text()) == first


def test_demo_with_the_same_seed_gives_the_same_data(url: str, engine: Engine) -> None:
    assert run(url, "demo", "--size", "S", "--seed", "7").returncode == 0
    first = run(url, "export").stdout
    empty_tables(engine)
    assert run(url, "demo", "--size", "S", "--seed", "7").returncode == 0
    assert run(url, "export").stdout == first
    empty_tables(engine)
    assert run(url, "demo", "--size", "S", "--seed", "8").returncode == 0
    assert run(url, "export").stdout != first


def test_demo_refuses_a_database_that_already_holds_a_cooperation(url: str) -> None:
    assert run(url, "import", str(SAMPLE)).returncode == 0
    again = run(url, "demo")
    assert again.returncode == 1
    assert again.stderr.startswith("pool: error: the database already holds a cooperation")


def test_a_malformed_file_is_one_line_on_stderr_naming_the_path(url: str, tmp_path: Path) -> None:
    doc = json.loads(SAMPLE.read_text())
    doc["requests"][1]["needs"][0]["skill"] = "cobol"
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    result = run(url, "import", str(tmp_path / "bad.json"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "$.requests[1].needs[0].skill" in result.stderr
    assert "no cooperation" in run(url, "export").stderr


def test_a_file_that_is_not_json_is_refused_with_line_and_column(url: str, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"format": "pool-instance/1",\n  "horizon": }')
    result = run(url, "import", str(tmp_path / "broken.json"))
    assert result.returncode == 1
    assert "not JSON" in result.stderr and "line 2" in result.stderr


def test_commands_on_a_database_that_is_not_set_up_say_to_run_init(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path}/new.db", "export")
    assert result.returncode == 1
    assert "pool init" in result.stderr and "Traceback" not in result.stderr


def test_exporting_an_unknown_plan_is_a_clear_error(url: str) -> None:
    assert run(url, "import", str(SAMPLE)).returncode == 0
    result = run(url, "export-plan", "99", "-o", "-")
    assert result.returncode == 1
    assert result.stderr.strip() == "pool: error: there is no plan 99"


def test_pool_account_makes_the_first_coordinator_of_an_imported_cooperation(url: str, engine: Engine) -> None:
    assert run(url, "import", str(SAMPLE)).returncode == 0
    env = os.environ | {"POOL_DATABASE_URL": url}
    typed = "Kl!mopHek-2027\nKl!mopHek-2027\n"  # the password, asked twice
    made = subprocess.run([*POOL, "account", "beheer", "--name", "Anna Beheer"], input=typed,
                          capture_output=True, text=True, env=env, timeout=60)
    assert made.returncode == 0, made.stderr
    assert "coordinator account beheer" in made.stdout
    with Session(engine) as s:
        user = authenticate(s, "beheer", "Kl!mopHek-2027")
        assert user.role == "coordinator" and user.name == "Anna Beheer"
        created = select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.action == "create")
        assert s.scalars(created).one().actor == "command line"
    lead = run(url, "account", "lead", "--role", "team_lead", "--municipality", "GM0642",
               "--password", "Kl!mopHek-2027")
    assert lead.returncode == 0, lead.stderr
    with Session(engine) as s:
        town = s.scalars(select(Municipality.code).join(User, User.municipality_id == Municipality.id)).one()
    assert town == "GM0642"
    weak = run(url, "account", "lead2", "--role", "team_lead", "--municipality", "GM0505", "--password", "password12")
    assert weak.returncode == 1 and weak.stderr.startswith("pool: error:")
    nowhere = run(url, "account", "lead3", "--role", "team_lead", "--municipality", "GM9999",
                  "--password", "Kl!mopHek-2027")
    assert nowhere.returncode == 1 and "GM9999" in nowhere.stderr
