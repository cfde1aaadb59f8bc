"""Validation of pool-plan/1 documents against the instance they plan."""

from __future__ import annotations

from typing import Any

from pool.errors import FormatError
from pool.formats.schema import cut, schema_problems

FORMAT = "pool-plan/1"


def validate_plan(doc: Any, instance: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return doc if it is a valid pool-plan/1 document (and refers only to the instance's objects)."""
    problems = schema_problems("pool-plan-1", doc)
    if not problems and instance is not None:
        needs_of = {r["id"]: len(r["needs"]) for r in instance["requests"]}
        specialists = {s["id"] for s in instance["specialists"]}
        weeks = instance["horizon"]["weeks"]
        for key in ("assignments", "unmet"):
            for i, a in enumerate(doc[key]):
                path = f"$.{key}[{i}]"
                if a["request"] not in needs_of:
                    problems.append((f"{path}.request", f"unknown request {cut(repr(a['request']))}"))
                elif a["need"] >= needs_of[a["request"]]:
                    problems.append((f"{path}.need", f"request {a['request']} has no need {a['need']}"))
                if key == "assignments":
                    if a["specialist"] not in specialists:
                        problems.append((f"{path}.specialist", f"unknown specialist {cut(repr(a['specialist']))}"))
                    if a["week"] >= weeks:
                        problems.append((f"{path}.week", f"week {a['week']} is outside the horizon"))
    if problems:
        raise FormatError(problems)
    return doc  # type: ignore[no-any-return]
