"""Bad documents and command lines: one clear line naming the JSON path, never a traceback, nothing written.

Each case is one defect a probe of the application found; each test failed before its fix.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.errors import FormatError
from pool.models import Cooperation, Plan
from pool.services.exchange import export_instance, import_instance, import_plan
from tests.conftest import SAMPLE
from tests.integration.test_cli import run, url  # noqa: F401  (the fixture)


def tiny() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text("utf-8"))


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Return a change that puts value at a dotted path (numbers index lists)."""

    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return change


def _append(path: str, item: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[path].append(item)

    return change


BAD_INSTANCES = {
    "an integer written as 1e308": (_set("specialists.0.pool_hours_per_week", 1e308),
                                    "$.specialists[0].pool_hours_per_week"),
    "2**63 hours": (_set("requests.0.needs.0.hours", 2**63), "$.requests[0].needs[0].hours"),
    "2**31 committed hours (PostgreSQL's integer)": (_set("municipalities.0.committed_hours_per_week", 2**31),
                                                      "$.municipalities[0].committed_hours_per_week"),
    "a budget beyond any contract": (_set("partner.budget_hours", 10**12), "$.partner.budget_hours"),
    "horizon.start 9999-12-27": (_set("horizon.start", "9999-12-27"), "$.horizon.start"),
    "a lone surrogate in a name": (_set("specialists.0.name", "A. \ud800 de Vries"), "$.specialists[0].name"),
    "a NUL byte in a name": (_set("municipalities.0.name", "Dord\x00recht"), "$.municipalities[0].name"),
    "a request id of 41 characters": (_set("requests.0.id", "R" * 41), "$.requests[0].id"),
    "a specialist id of 80 characters": (_set("specialists.0.id", "S" * 80), "$.specialists[0].id"),
    "a duplicate previous_plan entry": (
        _append("previous_plan", {"request": "R00001", "need": 0, "specialist": "S0001", "week": 1, "hours": 8,
                                  "pinned": True}), "$.previous_plan[1]"),
    "a pinned entry of 500 hours for a 16-hour specialist": (
        _set("previous_plan.0.hours", 500), "$.previous_plan[0].hours"),
    "a plan entry without the skill": (
        _append("previous_plan", {"request": "R00002", "need": 0, "specialist": "S0003", "week": 1, "hours": 4}),
        "$.previous_plan[1]"),
    "a plan entry outside the request's window": (
        _append("previous_plan", {"request": "R00001", "need": 0, "specialist": "S0003", "week": 7, "hours": 4}),
        "$.previous_plan[1]"),
    "JSON nested 5,000 deep": (_set("skills.0.name", json.loads("[" * 900 + "]" * 900)), "$.skills[0].name"),
}


@pytest.mark.parametrize("case", BAD_INSTANCES, ids=list(BAD_INSTANCES))
def test_a_bad_instance_is_one_error_line_with_its_json_path_and_writes_nothing(session: Session, case: str) -> None:
    change, path = BAD_INSTANCES[case]
    doc = tiny()
    change(doc)
    with pytest.raises(FormatError) as refused:
        import_instance(session, doc)
    line = str(refused.value)
    assert path in line and "\n" not in line and len(line) < 1000
    assert session.scalar(select(func.count()).select_from(Cooperation)) == 0


def test_an_error_line_cuts_a_huge_bad_value(session: Session) -> None:
    doc = tiny()
    doc["specialists"][0]["name"] = "x" * 2_000_000
    with pytest.raises(FormatError) as refused:
        import_instance(session, doc)
    assert "$.specialists[0].name" in str(refused.value) and len(str(refused.value)) < 500


def _plan(**over: Any) -> dict[str, Any]:
    doc = {
        "format": "pool-plan/1",
        "assignments": [
            {"request": "R00001", "need": 0, "specialist": "S0001", "week": 1, "hours": 8, "pinned": True},
            {"request": "R00001", "need": 0, "specialist": "S0001", "week": 2, "hours": 8},
        ],
        "unmet": [], "kpis": {"demand_hours": 64, "filled_hours": 16}, "solver": {"status": "FEASIBLE"},
    }
    return doc | over


BAD_PLANS = {
    "a duplicate assignment": (lambda d: d["assignments"].append(dict(d["assignments"][1])), "$.assignments[2]"),
    "500 hours in one week for a 16-hour specialist": (lambda d: d["assignments"][1].update(hours=500),
                                                       "$.assignments[1].hours"),
    "a specialist without the skill": (lambda d: d["assignments"][1].update(specialist="S0002"),
                                       "$.assignments[1]"),
    "an unmet reason of 61 characters": (lambda d: d["unmet"].append(
        {"request": "R00002", "need": 0, "hours": 16, "reason": "r" * 61, "detail": ""}), "$.unmet[0].reason"),
    "2**63 hours": (lambda d: d["assignments"][1].update(hours=2**63), "$.assignments[1].hours"),
    "the pinned entry left out": (lambda d: d["assignments"].pop(0), "$.assignments"),
}


@pytest.mark.parametrize("case", BAD_PLANS, ids=list(BAD_PLANS))
def test_a_plan_that_breaks_a_rule_is_refused_with_its_json_path(session: Session, case: str) -> None:
    import_instance(session, tiny())
    change, path = BAD_PLANS[case]
    doc = _plan()
    change(doc)
    with pytest.raises(FormatError) as refused:
        import_plan(session, doc)
    assert path in str(refused.value) and "\n" not in str(refused.value)
    assert session.scalar(select(func.count()).select_from(Plan)) == 1  # the imported plan in force only


def test_forged_kpis_of_an_imported_plan_are_recomputed(session: Session) -> None:
    import_instance(session, tiny())
    plan = import_plan(session, _plan(kpis={"demand_hours": 64, "filled_hours": 9999, "partner_cost": -5}))
    assert plan.kpis["filled_hours"] == 16 and plan.kpis["partner_cost"] == 0


def test_an_exported_situation_still_imports(session: Session) -> None:
    import_instance(session, tiny())
    doc = copy.deepcopy(export_instance(session))
    assert import_instance(session, doc)["previous_plan"] == 1


# The command line, as a real process.

def _write(tmp_path: Path, name: str, data: bytes) -> str:
    (tmp_path / name).write_bytes(data)
    return str(tmp_path / name)


def _one_line(result: Any) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    return str(result.stderr)


def test_files_that_are_not_utf8_json_are_one_line(url: str, tmp_path: Path) -> None:  # noqa: F811
    text = SAMPLE.read_text("utf-8")
    latin = _write(tmp_path, "latin.json", text.replace("Dordrecht", "Dórdrecht").encode("latin-1"))
    utf16 = _write(tmp_path, "utf16.json", text.encode("utf-16"))
    deep = _write(tmp_path, "deep.json", b"[" * 5000 + b"]" * 5000)
    assert "not UTF-8" in _one_line(run(url, "import", latin))
    assert "not UTF-8" in _one_line(run(url, "import", utf16))
    assert _one_line(run(url, "import", deep)).startswith("pool: error:")


def test_numbers_on_the_command_line_are_bounded(url: str, tmp_path: Path) -> None:  # noqa: F811
    assert run(url, "import", str(SAMPLE)).returncode == 0
    assert "2**70" not in _one_line(run(url, "export-plan", str(2**70)))
    assert _one_line(run(url, "solve", str(SAMPLE), "--seed", str(2**70)))
    for limit in ("nan", "inf", "-inf"):
        assert "--time-limit" in _one_line(run(url, "solve", str(SAMPLE), "--greedy", "--time-limit", limit))


def test_solve_refuses_a_pinned_entry_that_breaks_a_rule(url: str, tmp_path: Path) -> None:  # noqa: F811
    doc = tiny()
    doc["previous_plan"][0]["hours"] = 500
    bad = _write(tmp_path, "pinned.json", json.dumps(doc).encode())
    assert "$.previous_plan[0].hours" in _one_line(run(url, "solve", bad, "--greedy"))


def test_an_unsupported_database_driver_is_one_line(tmp_path: Path) -> None:
    for address in ("mysql://pool:secret@localhost/pool", "nosuchdb://x"):
        line = _one_line(run(address, "export"))
        assert "cannot use the database" in line and "secret" not in line
