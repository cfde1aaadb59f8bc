"""In-app notifications: written by services when something changes for a person, read from the bell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pool.models import Notification, User
from pool.services.mail import Mail, queue
from pool.services.notification_texts import said


def notify(session: Session, users: Iterable[User], kind: str, facts: dict[str, Any], link: str = "") -> int:
    """Add one notification per user to the caller's transaction; return how many. A user with an address also
    gets it by mail, in the user's language, once the caller has committed and sends the queued mail."""
    count = 0
    for user in users:
        session.add(Notification(user_id=user.id, kind=kind, facts=facts, link=link))
        if user.email:
            words = said(kind, facts, user.locale)
            queue(session, Mail(user.email, words.subject, words.body))
        count += 1
    return count


def unread_count(session: Session, user: User) -> int:
    return int(session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0)


def recent(session: Session, user: User, limit: int = 50) -> list[Notification]:
    """The user's notifications, newest first."""
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id)
                                .order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(session: Session, user: User) -> None:
    session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                    .values(read_at=dt.datetime.now(dt.UTC)))
    session.commit()
