"""A small private reader of pool-instance/1 documents, so the solver tests do not depend on pool/."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from solver.instance import Assignment, Instance, Municipality, Need, Partner, Request, Skill, Specialist


def instance_from_document(doc: dict[str, Any]) -> Instance:
    specialists = []
    for s in doc["specialists"]:
        off: dict[int, int] = defaultdict(int)
        for u in s.get("unavailable", []):
            off[u["week"]] += u["hours"]
        specialists.append(
            Specialist(
                id=s["id"],
                name=s["name"],
                home=s["home"],
                kind=s["kind"],
                pool_hours_per_week=s["pool_hours_per_week"],
                skills=tuple(sorted(s["skills"].items())),
                unavailable=tuple(sorted(off.items())),
                hourly_cost=s.get("hourly_cost", 0),
            )
        )
    requests = [
        Request(
            id=r["id"],
            municipality=r["municipality"],
            title=r["title"],
            needs=tuple(Need(n["skill"], n["min_level"], n["hours"]) for n in r["needs"]),
            start_week=r["start_week"],
            end_week=r["end_week"],
            max_hours_per_week=r["max_hours_per_week"],
            priority=r["priority"],
            allow_partner=r["allow_partner"],
            all_or_nothing=r["all_or_nothing"],
        )
        for r in doc["requests"]
    ]
    p = doc.get("partner")
    return Instance(
        horizon_start=dt.date.fromisoformat(doc["horizon"]["start"]),
        weeks=doc["horizon"]["weeks"],
        skills=tuple(Skill(s["id"], s["name"]) for s in doc["skills"]),
        municipalities=tuple(
            Municipality(m["id"], m["name"], m["committed_hours_per_week"]) for m in doc["municipalities"]
        ),
        specialists=tuple(specialists),
        partner=Partner(p["name"], p["budget_hours"], p["min_notice_weeks"]) if p else None,
        requests=tuple(requests),
        previous_plan=tuple(
            Assignment(a["request"], a["need"], a["specialist"], a["week"], a["hours"], a.get("pinned", False))
            for a in doc.get("previous_plan", [])
        ),
    )
