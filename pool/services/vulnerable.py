"""Vulnerable skills: knowledge that only one internal specialist holds at the level asked, or only the partner."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.models import Need, Request, Skill, Specialist, SpecialistSkill
from pool.services.exchange import PLANNABLE, cooperation
from pool.weeks import week_start

ONE_PERSON, PARTNER_ONLY = "one-person", "partner-only"


@dataclass(frozen=True)
class VulnerableSkill:
    skill_code: str
    skill_name: str
    level: int  # the minimum level requests ask for
    kind: str  # ONE_PERSON or PARTNER_ONLY
    demand_hours: int  # hours of needs in the horizon asking this skill at this level
    requests: int
    holders: list[str]  # names (with code) of who holds it at that level


def vulnerable_skills(session: Session) -> list[VulnerableSkill]:
    """Every (skill, level asked) whose internal holders number one, or none while the partner holds it."""
    coop = cooperation(session)
    start, end = coop.horizon_start, week_start(coop.horizon_start, coop.horizon_weeks)
    asked = session.execute(
        select(Need.skill_id, Need.min_level, func.sum(Need.hours), func.count(func.distinct(Need.request_id)))
        .join(Request, Request.id == Need.request_id)
        .where(Request.status.in_(PLANNABLE), Request.last_week >= start, Request.first_week < end, Need.hours > 0)
        .group_by(Need.skill_id, Need.min_level)
    ).all()
    holders: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for skill_id, level, kind, code, name in session.execute(
        select(SpecialistSkill.skill_id, SpecialistSkill.level, Specialist.kind, Specialist.code, Specialist.name)
        .join(Specialist, Specialist.id == SpecialistSkill.specialist_id).where(Specialist.active)
    ):
        holders[skill_id].append((level, kind, f"{name} ({code})"))
    skills = {s.id: s for s in session.scalars(select(Skill))}
    out = []
    for skill_id, level, hours, requests in asked:
        able = [(kind, who) for held, kind, who in holders[skill_id] if held >= level]
        internal = sorted(who for kind, who in able if kind == "internal")
        partner = sorted(who for kind, who in able if kind == "partner")
        if len(internal) == 1:
            kind, who = ONE_PERSON, internal
        elif not internal and partner:
            kind, who = PARTNER_ONLY, partner
        else:
            continue
        s = skills[skill_id]
        out.append(VulnerableSkill(s.code, s.name, level, kind, int(hours), int(requests), who))
    return sorted(out, key=lambda v: (-v.demand_hours, v.skill_code, v.level))
