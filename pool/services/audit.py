"""Recording who changed what, when and why."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pool.models import AuditEvent, Request, User

HIDDEN = "(hidden)"  # a secret's side of a change: the trail says that it changed, never what it is
HIDDEN_NEW = "(new, hidden)"


def plain(value: Any) -> Any:
    """A value as the trail stores it (JSON): dates and times as ISO text."""
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def pairs(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """What changed, field by field, as [before, after]; a field missing on one side is None there."""
    return {k: [plain(before.get(k)), plain(after.get(k))] for k in sorted(before.keys() | after.keys())
            if before.get(k) != after.get(k)}


def apply(obj: Any, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `obj` and return what changed as [before, after] (before is None on a new object)."""
    before = {k: getattr(obj, k, None) for k in values}
    for k, v in values.items():
        setattr(obj, k, v)
    return pairs(before, values)


def record(
    session: Session,
    actor: User | str,
    action: str,
    entity: str,
    entity_id: object = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Add an audit event to the session; the caller's transaction commits it with the change.

    `changes` holds what changed as {field: [before, after]} (see `pairs` and `apply`), and may add plain
    facts that name what the change was about.
    """
    event = AuditEvent(
        user_id=actor.id if isinstance(actor, User) else None,
        actor=actor.username if isinstance(actor, User) else actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        changes=changes or {},
        reason=reason,
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    """What a reader of the trail narrows it to; empty fields do not narrow."""

    actor: str = ""
    entity: str = ""
    entity_id: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive


PAGE = 100


def _query(session: Session, f: AuditFilter, municipality_id: int | None) -> Select[AuditEvent]:
    q = select(AuditEvent)
    if f.actor:
        q = q.where(AuditEvent.actor == f.actor)
    if f.entity:
        q = q.where(AuditEvent.entity == f.entity)
    if f.entity_id:
        q = q.where(AuditEvent.entity_id == f.entity_id)
    if f.action:
        q = q.where(AuditEvent.action == f.action)
    if f.since:
        q = q.where(AuditEvent.at >= dt.datetime.combine(f.since, dt.time(), dt.UTC))
    if f.until:
        q = q.where(AuditEvent.at < dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time(), dt.UTC))
    if municipality_id is not None:  # a team lead: its own municipality's requests only
        codes = select(Request.code).where(Request.municipality_id == municipality_id)
        q = q.where(AuditEvent.entity == "request", AuditEvent.entity_id.in_(codes))
    return q


def trail(session: Session, f: AuditFilter, municipality_id: int | None = None, page: int = 1,
          per_page: int = PAGE) -> tuple[list[AuditEvent], int]:
    """One page of the trail, newest first, and how many events match."""
    q = _query(session, f, municipality_id)
    total = int(session.scalar(select(func.count()).select_from(q.subquery())) or 0)
    rows = session.scalars(q.order_by(AuditEvent.id.desc()).limit(per_page).offset((max(page, 1) - 1) * per_page))
    return list(rows), total


def trail_csv(session: Session, f: AuditFilter, municipality_id: int | None = None) -> Iterator[str]:
    """The whole matching trail as CSV lines (oldest first), produced row by row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "actor", "action", "object", "object_id", "changes", "reason"])
    q = _query(session, f, municipality_id).order_by(AuditEvent.id).execution_options(yield_per=500)
    for n, e in enumerate(session.scalars(q)):
        writer.writerow([e.id, e.at.isoformat(), e.actor, e.action, e.entity, e.entity_id,
                         json.dumps(e.changes, ensure_ascii=False, sort_keys=True), e.reason])
        if n % 200 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def audit_choices(session: Session) -> tuple[list[str], list[str], list[str]]:
    """The people, objects and actions that occur in the trail, for the filter's choices."""
    def distinct(column: Any) -> list[str]:
        return list(session.scalars(select(column).distinct().order_by(column)))
    return distinct(AuditEvent.actor), distinct(AuditEvent.entity), distinct(AuditEvent.action)


def latest_event(session: Session) -> int:
    """The id of the newest audit event (0 for none): every change the services make leaves one, so a figure
    kept with this id in its key is worked out again after any change."""
    return session.scalar(select(func.max(AuditEvent.id))) or 0
