"""Plans that come in from outside (a plan in force, a pinned entry, a stored plan) meet every hard rule.

The rules themselves live in one place, the solver's independent validator; this module runs it on the
entries of a document and points each violation at the JSON path of the entry it is about.
"""

from __future__ import annotations

import re
from typing import Any

from solver.instance import Assignment, Instance
from solver.validate import validate

# The shapes of the validator's lines, and which entry (and field) each is about.
_ENTRY = re.compile(r"^(?P<request>[^/\s]+)/(?P<need>\d+)/(?P<specialist>[^/\s]+)/week (?P<week>\d+):")
_SPECIALIST_WEEK = re.compile(r"^specialist (?P<specialist>\S+) week (?P<week>\d+):")
_REQUEST_WEEK = re.compile(r"^request (?P<request>\S+) week (?P<week>\d+):")
_NEED = re.compile(r"^request (?P<request>\S+) need (?P<need>\d+):")
_REQUEST = re.compile(r"^request (?P<request>\S+):")


def assignments_of(entries: list[dict[str, Any]]) -> list[Assignment]:
    """Return a document's plan entries as the solver's assignments."""
    return [Assignment(a["request"], a["need"], a["specialist"], a["week"], a["hours"], a.get("pinned", False))
            for a in entries]


def rule_problems(instance: Instance, entries: list[dict[str, Any]], path: str,
                  frozen_weeks: int = 0) -> list[tuple[str, str]]:
    """Return (JSON path, broken rule) for every hard-rule violation of these plan entries."""
    return [(_locate(line, entries, path), line) for line in validate(instance, assignments_of(entries), frozen_weeks)]


def _locate(line: str, entries: list[dict[str, Any]], path: str) -> str:
    for pattern, field in ((_ENTRY, ""), (_SPECIALIST_WEEK, ".hours"), (_REQUEST_WEEK, ".hours"),
                           (_NEED, ".hours"), (_REQUEST, "")):
        found = pattern.match(line)
        if found is None:
            continue
        wanted = {k: int(v) if k in ("need", "week") else v for k, v in found.groupdict().items()}
        # The last entry that matches: the duplicate, or the hours that tipped a limit over.
        for i in range(len(entries) - 1, -1, -1):
            if all(entries[i].get(k) == v for k, v in wanted.items()):
                return f"{path}[{i}]{field}"
    return path
