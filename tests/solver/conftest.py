"""Builders for tiny instances and a planning helper that checks every plan with the independent validator."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import solver
from pool.translate import instance_from_document
from solver.instance import Assignment, Instance, Municipality, Need, Partner, Request, Skill, Specialist

SAMPLE_S = Path(__file__).resolve().parents[1] / "data" / "sample-s.json"


def spec(
    sid: str,
    skills: dict[str, int],
    hours: int = 16,
    home: str | None = "A",
    kind: str = "internal",
    cost: int = 0,
    off: dict[int, int] | None = None,
) -> Specialist:
    return Specialist(
        id=sid,
        name=f"Specialist {sid}",
        home=None if kind == "partner" else home,
        kind=kind,  # type: ignore[arg-type]
        pool_hours_per_week=hours,
        skills=tuple(sorted(skills.items())),
        unavailable=tuple(sorted((off or {}).items())),
        hourly_cost=cost,
    )


def req(
    rid: str,
    needs: list[tuple[str, int, int]],
    start: int = 0,
    end: int = 3,
    maxpw: int = 40,
    priority: int = 3,
    town: str = "A",
    allow_partner: bool = False,
    aon: bool = False,
) -> Request:
    return Request(
        id=rid,
        municipality=town,
        title=rid,
        needs=tuple(Need(s, lvl, h) for s, lvl, h in needs),
        start_week=start,
        end_week=end,
        max_hours_per_week=maxpw,
        priority=priority,
        allow_partner=allow_partner,
        all_or_nothing=aon,
    )


def instance(
    specialists: list[Specialist],
    requests: list[Request],
    weeks: int = 4,
    partner: Partner | None = None,
    previous: tuple[Assignment, ...] = (),
) -> Instance:
    skills = sorted({s for p in specialists for s, _ in p.skills} | {n.skill for r in requests for n in r.needs})
    towns = sorted({r.municipality for r in requests} | {p.home for p in specialists if p.home})
    return Instance(
        horizon_start=dt.date(2027, 1, 4),
        weeks=weeks,
        skills=tuple(Skill(s, s) for s in skills),
        municipalities=tuple(Municipality(t, t, 0) for t in towns),
        specialists=tuple(specialists),
        partner=partner,
        requests=tuple(requests),
        previous_plan=previous,
    )


def plan(inst: Instance, **config: Any) -> solver.PlanResult:
    """Solve and assert the plan passes the independent validator."""
    config.setdefault("time_limit", 5.0)
    cfg = solver.PlanningConfig(**config)
    result = solver.solve(inst, cfg)
    assert solver.validate(inst, result.assignments, cfg.frozen_weeks) == []
    return result


def hours_of(result: solver.PlanResult, specialist: str | None = None, request: str | None = None) -> int:
    return sum(
        a.hours
        for a in result.assignments
        if (specialist is None or a.specialist == specialist) and (request is None or a.request == request)
    )


@pytest.fixture(scope="session")
def sample_s() -> Instance:
    return instance_from_document(json.loads(SAMPLE_S.read_text()))
