"""The one translation from exchange documents to the solver's dataclasses and back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from pool.formats import validate_instance
from solver.instance import Assignment, Instance, Municipality, Need, Partner, Request, Skill, Specialist


def instance_from_document(doc: dict[str, Any], check: bool = True) -> Instance:
    """Validate a pool-instance/1 document and turn it into the solver's input.

    check=False skips the schema for a document the program has just made from the database itself.
    """
    if check:
        validate_instance(doc)
    specialists = []
    for s in doc["specialists"]:
        off: dict[int, int] = defaultdict(int)
        for u in s["unavailable"]:
            off[u["week"]] += u["hours"]
        specialists.append(
            Specialist(
                id=s["id"], name=s["name"], home=s["home"], kind=s["kind"],
                pool_hours_per_week=s["pool_hours_per_week"],
                skills=tuple(sorted(s["skills"].items())),
                unavailable=tuple(sorted((w, h) for w, h in off.items() if h)),
                hourly_cost=s["hourly_cost"],
            )
        )
    partner = doc["partner"]
    return Instance(
        horizon_start=dt.date.fromisoformat(doc["horizon"]["start"]),
        weeks=doc["horizon"]["weeks"],
        skills=tuple(Skill(s["id"], s["name"]) for s in doc["skills"]),
        municipalities=tuple(
            Municipality(m["id"], m["name"], m["committed_hours_per_week"]) for m in doc["municipalities"]
        ),
        specialists=tuple(specialists),
        partner=Partner(partner["name"], partner["budget_hours"], partner["min_notice_weeks"]) if partner else None,
        requests=tuple(
            Request(
                id=r["id"], municipality=r["municipality"], title=r["title"],
                needs=tuple(Need(n["skill"], n["min_level"], n["hours"]) for n in r["needs"]),
                start_week=r["start_week"], end_week=r["end_week"],
                max_hours_per_week=r["max_hours_per_week"], priority=r["priority"],
                allow_partner=r["allow_partner"], all_or_nothing=r["all_or_nothing"],
            )
            for r in doc["requests"]
        ),
        previous_plan=tuple(
            Assignment(a["request"], a["need"], a["specialist"], a["week"], a["hours"], a.get("pinned", False))
            for a in doc["previous_plan"]
        ),
    )
