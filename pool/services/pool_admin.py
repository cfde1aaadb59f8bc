"""The coordinator's keeping of the pool: municipalities and contributions, the skill catalogue, the partner."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from pool.errors import NotFound, PoolError, VersionConflict
from pool.models import Contribution, Municipality, PartnerContract, Skill, User
from pool.services.audit import apply, pairs, record
from pool.services.transaction import Edit, transaction

# Upper bounds that the columns hold with room to spare, and no real cooperation comes near.
MAX_CONTRIBUTION = 10_000  # pool hours a week of one municipality
MAX_BUDGET = 10_000_000  # hours of the partner contract
MAX_RATE = 100_000  # euro an hour
MAX_NOTICE = 260  # weeks
SKILL_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def list_municipalities(session: Session, query: str = "") -> list[Municipality]:
    """Return the municipalities whose code or name holds the query, with their contributions."""
    stmt = select(Municipality).options(selectinload(Municipality.contributions)).order_by(Municipality.name)
    if query.strip():
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(Municipality.code.ilike(like), Municipality.name.ilike(like)))
    return list(session.scalars(stmt))


def get_municipality(session: Session, municipality_id: int) -> Municipality:
    """Return a municipality by id."""
    municipality = session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound(f"there is no municipality {municipality_id}")
    return municipality


def save_municipality(session: Session, user: User, code: str, name: str,
                      municipality_id: int | None = None) -> Municipality:
    """Add a municipality, or rename one."""
    code, name = code.strip().upper(), name.strip()
    if not re.fullmatch(r"GM\d{4}", code):
        raise PoolError("a municipality code is a CBS code such as GM0505", field="code")
    if not name:
        raise PoolError("a municipality needs a name", field="name")
    clash = session.scalars(select(Municipality).where(Municipality.code == code)).first()
    municipality = get_municipality(session, municipality_id) if municipality_id else Municipality()
    if clash is not None and clash is not municipality:
        raise PoolError("the code %(code)s is taken", field="code", code=code)
    with transaction(session):
        changes = apply(municipality, {"code": code, "name": name})
        session.add(municipality)
        session.flush()
        record(session, user, "update" if municipality_id else "create", "municipality", municipality.code, changes)
    return municipality


@dataclass(frozen=True)
class SeenContribution:
    """The contribution in force that the page showed (id 0: none) and its version."""

    id: int
    version: int


def add_contribution(session: Session, user: User, municipality_id: int, hours_per_week: int,
                     valid_from: dt.date, reason: str = "", seen: SeenContribution | None = None) -> Contribution:
    """Commit new pool hours a week from a date on; the contribution in force until then ends the day before.

    With `seen`, the save is refused (VersionConflict, audited) when the contributions changed since the page
    showed them: another contribution was added, or the one in force changed.
    """
    municipality = get_municipality(session, municipality_id)
    if not 0 <= hours_per_week <= MAX_CONTRIBUTION:
        raise PoolError("hours a week lie between 0 and %(max)s", field="hours_per_week", max=MAX_CONTRIBUTION)
    latest = municipality.contributions[-1] if municipality.contributions else None
    edit = None
    if latest is not None:
        version = seen.version if seen is not None and seen.id == latest.id else None
        edit = Edit(user, latest, "contribution", str(latest.id), version)
    with transaction(session, edit):
        if seen is not None and seen.id != (latest.id if latest else 0):
            raise VersionConflict("another contribution was added after the page was opened")
        if any(c.valid_from >= valid_from for c in municipality.contributions):
            raise PoolError("a contribution from that date or later exists already", field="valid_from")
        for c in municipality.contributions:
            if c.valid_to is None or c.valid_to >= valid_from:
                before, c.valid_to = c.valid_to, valid_from - dt.timedelta(days=1)
                record(session, user, "update", "contribution", c.id,
                       {"valid_to": [str(before) if before else None, str(c.valid_to)]}, reason)
        contribution = Contribution(hours_per_week=hours_per_week, valid_from=valid_from, valid_to=None)
        municipality.contributions.append(contribution)
        session.flush()
        record(session, user, "create", "contribution", contribution.id, {"municipality": municipality.code} | pairs(
            {}, {"hours_per_week": hours_per_week, "valid_from": valid_from, "valid_to": None}), reason)
    return contribution


def list_skills(session: Session, query: str = "") -> list[Skill]:
    """Return the skill catalogue, filtered by code or name."""
    stmt = select(Skill).order_by(Skill.name)
    if query.strip():
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(Skill.code.ilike(like), Skill.name.ilike(like)))
    return list(session.scalars(stmt))


def get_skill(session: Session, skill_id: int) -> Skill:
    """Return a skill by id."""
    skill = session.get(Skill, skill_id)
    if skill is None:
        raise NotFound(f"there is no skill {skill_id}")
    return skill


def save_skill(session: Session, user: User, name: str, code: str = "", skill_id: int | None = None) -> Skill:
    """Add a skill to the catalogue, or rename one (its code stays, other systems refer to it)."""
    name = name.strip()
    if not name:
        raise PoolError("a skill needs a name", field="name")
    changes: dict[str, list[object]]
    if skill_id is None:
        code = code.strip().lower()
        if not SKILL_CODE.match(code):
            raise PoolError("a skill code holds lower-case letters, digits and hyphens", field="code")
        if session.scalars(select(Skill).where(Skill.code == code)).first() is not None:
            raise PoolError("the code %(code)s is taken", field="code", code=code)
        skill = Skill(code=code, name=name)
        session.add(skill)
        action, changes = "create", pairs({}, {"code": code, "name": name})
    else:
        skill = get_skill(session, skill_id)
        action, changes = "update", {"name": [skill.name, name]}
        skill.name = name
    with transaction(session):
        session.flush()
        record(session, user, action, "skill", skill.code, changes)
    return skill


def partner_contract(session: Session) -> PartnerContract | None:
    """Return the contract with the knowledge partner, if there is one."""
    return session.scalars(select(PartnerContract).order_by(PartnerContract.id)).first()


@dataclass
class ContractInput:
    name: str
    budget_hours: int
    hourly_rate: int
    min_notice_weeks: int
    valid_from: dt.date
    valid_to: dt.date | None = None
    version: int | None = None  # the version the user saw; None when no page showed one


def save_partner_contract(session: Session, user: User, data: ContractInput, reason: str = "") -> PartnerContract:
    """Set the terms of the contract with the knowledge partner."""
    if not data.name.strip():
        raise PoolError("the contract needs the partner's name", field="name")
    if not (0 <= data.budget_hours <= MAX_BUDGET and 0 <= data.hourly_rate <= MAX_RATE
            and 0 <= data.min_notice_weeks <= MAX_NOTICE):
        raise PoolError("the budget lies between 0 and %(budget)s hours, the rate between 0 and %(rate)s euro, "
                        "the notice between 0 and %(notice)s weeks", budget=MAX_BUDGET, rate=MAX_RATE,
                        notice=MAX_NOTICE)
    if data.valid_to is not None and data.valid_to < data.valid_from:
        raise PoolError("the contract ends before it starts", field="valid_to")
    contract = partner_contract(session)
    if contract is None:
        contract = PartnerContract()
        session.add(contract)
    values = {"name": data.name.strip(), "budget_hours": data.budget_hours, "hourly_rate": data.hourly_rate,
              "min_notice_weeks": data.min_notice_weeks, "valid_from": data.valid_from, "valid_to": data.valid_to}
    seen = data.version if contract.id is not None else None
    with transaction(session, Edit(user, contract, "partner_contract", str(contract.id), seen)):
        action = "update" if contract.id is not None else "create"
        changes = apply(contract, values)
        session.flush()
        record(session, user, action, "partner_contract", contract.id, changes, reason)
    return contract
