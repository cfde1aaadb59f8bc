"""Generated malformed pool-instance/1 and pool-plan/1 documents thrown at the import functions.

For every document: a clean import, or one FormatError line that names a JSON path, and then nothing
written. Never another exception. POOL_FUZZ_EXAMPLES sets how many documents each test tries (README).
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.errors import FormatError, PoolError
from pool.models import Base
from pool.services.exchange import export_instance, import_instance, import_plan
from tests.conftest import SAMPLE

EXAMPLES = int(os.environ.get("POOL_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="POOL_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TINY = json.loads(SAMPLE.read_text("utf-8"))
PLAN = {
    "format": "pool-plan/1",
    "assignments": [
        {"request": "R00001", "need": 0, "specialist": "S0001", "week": 1, "hours": 8, "pinned": True},
        {"request": "R00001", "need": 0, "specialist": "S0001", "week": 2, "hours": 8},
    ],
    "unmet": [{"request": "R00002", "need": 0, "hours": 16, "reason": "capacity-taken", "detail": "Bezet."}],
    "kpis": {"demand_hours": 64, "filled_hours": 16},
    "solver": {"status": "FEASIBLE", "seconds": 0.1},
}

# Values a probe throws: out of every column's range, not text, not a date, nested, empty.
SPECIAL = st.sampled_from([
    2**31, 2**63, -(2**63) - 1, 10**400, 1e308, float("inf"), float("nan"), -1, 0, 3.5, True, None, "",
    "\ud800", "a\x00b", "9999-12-27", "0001-01-01", "2027-02-30", "R" * 41, "x" * 5000, [], {}, [[[[[[[[]]]]]]]],
])
TEXT = st.text(st.characters(exclude_categories=()), max_size=50)
LEAF = st.none() | st.booleans() | st.integers() | st.floats() | TEXT | SPECIAL
JUNK = st.recursive(LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=12)


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*at, i))
    return out


@st.composite
def malformed(draw: st.DrawFn, valid: dict[str, Any]) -> Any:
    """Return the valid document with one to three random changes: a value replaced, removed, added, copied."""
    doc: Any = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)))
        if not path:
            if draw(st.booleans()):
                return copy.deepcopy(draw(JUNK))
            continue
        *head, last = path
        parent = doc
        for key in head:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "replace", "remove", "add", "copy"]))
        # Copies: a drawn list is shared with later draws, and changing it in place would tie a knot.
        if action == "replace":
            parent[last] = copy.deepcopy(draw(JUNK))
        elif action == "remove":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(TEXT)] = copy.deepcopy(draw(JUNK))
        elif action == "copy" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return doc


def _snapshot(session: Session) -> tuple[list[int], Any]:
    """Return the row count of every table and the exported situation, to see that nothing was written."""
    session.expire_all()
    counts = [session.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables]
    try:
        situation = export_instance(session)
    except PoolError:
        situation = None
    return counts, situation


def _check_refusal(error: FormatError) -> None:
    line = str(error)
    assert "\n" not in line and len(line) < 3000, line[:300]
    assert error.problems and all(path.startswith("$") for path, _ in error.problems), line[:300]


@FUZZ
@given(doc=malformed(TINY))
def test_a_malformed_instance_imports_cleanly_or_is_one_line_with_a_path_and_writes_nothing(
    session: Session, doc: Any
) -> None:
    before = _snapshot(session)
    try:
        import_instance(session, doc)
    except FormatError as e:
        _check_refusal(e)
        assert _snapshot(session) == before
    else:
        assert export_instance(session)["horizon"] == doc["horizon"]


@FUZZ
@given(doc=malformed(PLAN))
def test_a_malformed_plan_imports_cleanly_or_is_one_line_with_a_path_and_writes_nothing(
    session: Session, doc: Any
) -> None:
    if not session.scalar(select(func.count()).select_from(Base.metadata.tables["cooperation"])):
        import_instance(session, TINY)
    before = _snapshot(session)
    try:
        plan = import_plan(session, doc)
    except FormatError as e:
        _check_refusal(e)
        assert _snapshot(session) == before
    else:
        assert plan.status == "draft" and len(plan.assignments) == len(doc["assignments"])
