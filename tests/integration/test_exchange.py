"""Importing and exporting pool-instance/1 and pool-plan/1 through the database."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.errors import FormatError, NotFound
from pool.models import AuditEvent, Base, Plan, Request, Specialist
from pool.services.exchange import export_instance, export_plan, import_instance, import_plan
from tests.conftest import SAMPLE, empty_tables


def tiny() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text())


def row_counts(session: Session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def test_import_then_export_gives_the_document_back(session: Session) -> None:
    doc = tiny()
    import_instance(session, doc)
    exported = export_instance(session)
    assert exported == doc


def test_export_import_export_is_stable_on_the_sample_of_size_s(session: Session, engine) -> None:
    sample = json.loads((SAMPLE.parent / "sample-s.json").read_text())
    import_instance(session, sample)
    first = export_instance(session)
    empty_tables(engine)
    session.expunge_all()
    import_instance(session, first)
    assert export_instance(session) == first
    assert len(first["requests"]) == len(sample["requests"])


def test_import_records_who_imported_in_the_audit_trail(session: Session) -> None:
    import_instance(session, tiny(), actor="cli")
    event = session.scalars(select(AuditEvent)).one()
    assert (event.actor, event.action, event.entity) == ("cli", "import", "instance")
    assert event.changes["requests"] == [0, 2] and event.changes["document"]["requests"] == 2


def test_import_updates_known_objects_instead_of_duplicating_them(session: Session) -> None:
    doc = tiny()
    import_instance(session, doc)
    doc["specialists"][0]["pool_hours_per_week"] = 24
    doc["requests"][1]["title"] = "BGT-koppeling, tweede fase"
    import_instance(session, doc)
    assert session.scalar(select(func.count()).select_from(Specialist)) == 4
    assert session.scalar(select(Request.title).where(Request.code == "R00002")) == "BGT-koppeling, tweede fase"
    assert export_instance(session)["specialists"][0]["pool_hours_per_week"] == 24


def test_pinned_previous_plan_becomes_the_published_plan(session: Session) -> None:
    import_instance(session, tiny())
    plan = session.scalars(select(Plan)).one()
    assert plan.status == "published"
    assert [(a.specialist.code, a.hours, a.pinned) for a in plan.assignments] == [("S0001", 8, True)]


def bad(change) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    doc = tiny()
    change(doc)
    return doc


MALFORMED = {
    "wrong type": (
        lambda d: d["specialists"][1].update(pool_hours_per_week="acht"),
        "$.specialists[1].pool_hours_per_week",
    ),
    "unknown key": (lambda d: d["requests"][0].update(budget=10), "$.requests[0].budget"),
    "unknown top-level key": (lambda d: d.update(comment="x"), "$.comment"),
    "need for an unknown skill": (
        lambda d: d["requests"][1]["needs"][0].update(skill="cobol"),
        "$.requests[1].needs[0].skill",
    ),
    "specialist of an unknown municipality": (
        lambda d: d["specialists"][2].update(home="GM9999"),
        "$.specialists[2].home",
    ),
    "window outside the horizon": (lambda d: d["requests"][0].update(end_week=8), "$.requests[0].end_week"),
    "window ending before it starts": (
        lambda d: d["requests"][0].update(start_week=5, end_week=2),
        "$.requests[0].end_week",
    ),
    "horizon not on a Monday": (lambda d: d["horizon"].update(start="2027-01-05"), "$.horizon.start"),
    "level above 5": (lambda d: d["specialists"][0]["skills"].update(gis=6), "$.specialists[0].skills.gis"),
    "previous plan for an unknown need": (lambda d: d["previous_plan"][0].update(need=3), "$.previous_plan[0].need"),
    "missing key": (lambda d: d["requests"][0].pop("priority"), "$.requests[0]"),
    "duplicate id": (lambda d: d["specialists"][1].update(id="S0001"), "$.specialists[1].id"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_instance_is_refused_with_its_json_path_and_nothing_is_written(
    session: Session, case: str
) -> None:
    import_instance(session, tiny())
    before = row_counts(session)
    change, path = MALFORMED[case]
    doc = bad(change)
    doc["specialists"].append(copy.deepcopy(doc["specialists"][0]) | {"id": "S0099"})
    with pytest.raises(FormatError) as info:
        import_instance(session, doc)
    assert path in [p for p, _ in info.value.problems], info.value.problems
    assert path in str(info.value)
    session.expunge_all()
    assert row_counts(session) == before
    assert session.scalar(select(Specialist).where(Specialist.code == "S0099")) is None


def test_a_plan_document_is_stored_and_exported_unchanged(session: Session) -> None:
    import_instance(session, tiny())
    doc = {
        "format": "pool-plan/1",
        "assignments": [
            {"request": "R00001", "need": 0, "specialist": "S0001", "week": 1, "hours": 8, "pinned": True},
            {"request": "R00001", "need": 0, "specialist": "P001", "week": 2, "hours": 16},
        ],
        "unmet": [{"request": "R00002", "need": 0, "hours": 16, "reason": "all-or-nothing-not-reachable",
                   "detail": "Niet alle uren passen."}],
        "kpis": {"demand_hours": 64, "filled_hours": 24},
        "solver": {"status": "FEASIBLE", "seconds": 0.1},
    }
    plan = import_plan(session, doc, name="test")
    assert plan.status == "draft"
    exported = export_plan(session, plan.id)
    assert exported | {"kpis": doc["kpis"]} == doc
    assert {k: exported["kpis"][k] for k in doc["kpis"]} == doc["kpis"]  # recomputed, and these were right


def test_a_plan_that_names_an_unknown_specialist_is_refused(session: Session) -> None:
    import_instance(session, tiny())
    doc = {"format": "pool-plan/1", "unmet": [], "kpis": {}, "solver": {},
           "assignments": [{"request": "R00001", "need": 0, "specialist": "S7777", "week": 1, "hours": 8}]}
    with pytest.raises(FormatError, match=r"\$\.assignments\[0\]\.specialist"):
        import_plan(session, doc)
    assert session.scalar(select(func.count()).select_from(Plan)) == 1


def test_exporting_a_missing_plan_says_so(session: Session) -> None:
    with pytest.raises(NotFound):
        export_plan(session, 42)
