"""Recording who changed what, when and why."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pool.models import AuditEvent, User


def record(
    session: Session,
    actor: User | str,
    action: str,
    entity: str,
    entity_id: object = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Add an audit event to the session; the caller's transaction commits it with the change."""
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
