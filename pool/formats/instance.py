"""Validation of pool-instance/1 documents: shape by schema, then references and windows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pool.errors import FormatError
from pool.formats.schema import cut, schema_problems

FORMAT = "pool-instance/1"
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def _duplicates(items: list[dict[str, Any]], key: str, path: str) -> tuple[set[str], list[tuple[str, str]]]:
    seen: set[str] = set()
    problems = []
    for i, item in enumerate(items):
        if item[key] in seen:
            problems.append((f"{path}[{i}].{key}", f"duplicate id {cut(repr(item[key]))}"))
        seen.add(item[key])
    return seen, problems


def _reference_problems(doc: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    weeks = doc["horizon"]["weeks"]
    try:
        start = dt.date.fromisoformat(doc["horizon"]["start"])
        if start.weekday() != 0:
            problems.append(("$.horizon.start", f"{start} is a {start:%A}, not a Monday"))
        if not EARLIEST <= start <= LATEST - dt.timedelta(weeks=weeks):
            problems.append(("$.horizon.start", f"the horizon lies between {EARLIEST} and {LATEST}"))
    except ValueError:
        problems.append(("$.horizon.start", f"{cut(repr(doc['horizon']['start']))} is not a date (YYYY-MM-DD)"))
    skills, p = _duplicates(doc["skills"], "id", "$.skills")
    problems += p
    municipalities, p = _duplicates(doc["municipalities"], "id", "$.municipalities")
    problems += p
    specialists, p = _duplicates(doc["specialists"], "id", "$.specialists")
    problems += p
    requests, p = _duplicates(doc["requests"], "id", "$.requests")
    problems += p

    kinds = {}
    for i, s in enumerate(doc["specialists"]):
        path = f"$.specialists[{i}]"
        kinds[s["id"]] = s["kind"]
        if s["kind"] == "internal" and s["home"] not in municipalities:
            problems.append((f"{path}.home", f"unknown municipality {cut(repr(s['home']))}"))
        if s["kind"] == "partner":
            if s["home"] is not None:
                problems.append((f"{path}.home", "a partner consultant has no home municipality (null)"))
            if doc["partner"] is None:
                problems.append((f"{path}.kind", "a partner consultant needs a partner contract ($.partner)"))
        for skill in s["skills"]:
            if skill not in skills:
                problems.append((f"{path}.skills.{skill}", f"unknown skill {cut(repr(skill))}"))
        for j, u in enumerate(s["unavailable"]):
            if u["week"] >= weeks:
                problems.append((f"{path}.unavailable[{j}].week", f"week {u['week']} is outside the horizon"))

    needs_of = {}
    for i, r in enumerate(doc["requests"]):
        path = f"$.requests[{i}]"
        needs_of[r["id"]] = len(r["needs"])
        if r["municipality"] not in municipalities:
            problems.append((f"{path}.municipality", f"unknown municipality {cut(repr(r['municipality']))}"))
        for j, need in enumerate(r["needs"]):
            if need["skill"] not in skills:
                problems.append((f"{path}.needs[{j}].skill", f"unknown skill {cut(repr(need['skill']))}"))
        if r["start_week"] > r["end_week"]:
            problems.append((f"{path}.end_week", f"end week {r['end_week']} is before start week {r['start_week']}"))
        for key in ("start_week", "end_week"):
            if r[key] >= weeks:
                problems.append((f"{path}.{key}", f"week {r[key]} is outside the horizon of {weeks} weeks"))

    for i, a in enumerate(doc["previous_plan"]):
        path = f"$.previous_plan[{i}]"
        if a["request"] not in needs_of:
            problems.append((f"{path}.request", f"unknown request {cut(repr(a['request']))}"))
        elif a["need"] >= needs_of[a["request"]]:
            problems.append((f"{path}.need", f"request {a['request']} has no need {a['need']}"))
        if a["specialist"] not in specialists:
            problems.append((f"{path}.specialist", f"unknown specialist {cut(repr(a['specialist']))}"))
        if a["week"] >= weeks:
            problems.append((f"{path}.week", f"week {a['week']} is outside the horizon"))
    return problems


def validate_instance(doc: Any) -> dict[str, Any]:
    """Return doc if it is a valid pool-instance/1 document, else raise FormatError naming each path."""
    problems = schema_problems("pool-instance-1", doc)
    if not problems:
        problems = _reference_problems(doc)
    if problems:
        raise FormatError(problems)
    return doc  # type: ignore[no-any-return]
