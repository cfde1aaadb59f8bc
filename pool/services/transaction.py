"""One transaction per use case: commit what the block did, roll back on any error, say no to stale saves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from pool.errors import VersionConflict
from pool.models import AuditEvent, User
from pool.services.audit import record


@dataclass(frozen=True)
class Edit:
    """A change by `actor` of one versioned object, made on the page that showed it at version `seen`.

    `entity` and `entity_id` name the object the way the audit trail does; `seen` is None when the caller
    showed no version (the command line), and then only a save that races another is refused.
    """

    actor: User | str
    obj: Any
    entity: str
    entity_id: str
    seen: int | None = None


@contextmanager
def transaction(session: Session, edit: Edit | None = None) -> Iterator[Session]:
    """Commit the work of the block, or roll all of it back.

    With an `edit`, a save based on an older version than the stored one (seen before the block, or a
    concurrent commit found by SQLAlchemy's version counter) changes nothing: the refused attempt is
    audited and VersionConflict says who changed the object last and when.
    """
    try:
        if edit is not None and edit.seen is not None and edit.seen != edit.obj.version:
            raise VersionConflict("stale version")
        yield session
        session.commit()
    except (StaleDataError, VersionConflict) as e:
        session.rollback()
        if edit is None:
            raise VersionConflict("someone else changed this in the meantime; reload the page and try again") from e
        raise _refuse(session, edit) from e
    except BaseException:
        session.rollback()
        raise


def _refuse(session: Session, edit: Edit) -> VersionConflict:
    """Audit a refused stale save and return the error that names the last change."""
    session.refresh(edit.obj)
    last = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == edit.entity, AuditEvent.entity_id == edit.entity_id,
               AuditEvent.action != "refused-stale")
        .order_by(AuditEvent.id.desc())
    ).first()
    who, when = (last.actor, last.at) if last else ("someone", None)
    try:
        record(session, edit.actor, "refused-stale", edit.entity, edit.entity_id,
               {"seen_version": edit.seen, "stored_version": edit.obj.version, "last_changed_by": who})
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return VersionConflict(
        f"{edit.entity} {edit.entity_id} was changed by {who}{_at(when)} after you opened it; nothing is saved: "
        "reload the page, look at the change and try again",
        changed_by=who, changed_at=when,
    )


def _at(when: dt.datetime | None) -> str:
    if when is None:
        return ""
    if when.tzinfo is None:  # SQLite hands the stored UTC moment back without its zone
        when = when.replace(tzinfo=dt.UTC)
    return f" at {when:%Y-%m-%d %H:%M} UTC"
