"""Slowing down password guessing without locking the owner out (OWASP ASVS 2.2.1).

Every log-in attempt first claims a slot for its keys in one atomic UPDATE. The first FREE_ATTEMPTS
failures of a key pass at once; after that each attempt must wait a delay that doubles with every failure,
up to MAX_WAIT. The keys are the user name *with* the client address (so a guesser elsewhere, or behind the
same NAT, slows only itself) and the user name alone (so guessing one name from many addresses slows too,
after FREE_FOR_NAME failures).
A browser that logged in as that user before carries a device cookie: its attempts count under the device
alone, so nobody else's guessing ever delays the owner on a known device.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pool.models import LoginThrottle

FREE_ATTEMPTS = 5
# The name alone gets more free attempts: its wait falls on the owner too, when on a new device.
FREE_FOR_NAME = 20
FIRST_WAIT = 30  # seconds after the fifth failure; doubles with every further one
MAX_WAIT = 15 * 60  # seconds
QUIET = 15 * 60  # seconds without an attempt after which a key's failures are forgotten
# Enough doubling steps to reach MAX_WAIT; beyond them the wait stays at MAX_WAIT.
_STEPS = 6


def wait_after(failures: int, free: int = FREE_ATTEMPTS) -> int:
    """Return how many seconds the next attempt waits after this many failures in a row."""
    if failures < free:
        return 0
    return min(FIRST_WAIT * 2 ** (failures - free), MAX_WAIT)


def keys_for(name: str, address: str, device: str = "") -> list[str]:
    """Return the throttle keys of an attempt: the known device alone, else name with address and name."""
    if device:
        return [f"device:{device}|{name}"]
    return [f"pair:{name}|{address}", f"user:{name}"]


def claim(session: Session, keys: list[str], now: dt.datetime) -> bool:
    """Count one attempt on every key atomically; return False when a key must still wait (the caller commits)."""
    at = int(now.timestamp())
    allowed = True
    for key in keys:
        _ensure_row(session, key)
        quiet = LoginThrottle.last_attempt < at - QUIET
        counted = session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == key, LoginThrottle.wait_until <= at)
            .values(
                failures=case((quiet, 1), else_=LoginThrottle.failures + 1),
                last_attempt=at,
                wait_until=at + case((quiet, 0), else_=_wait_after_one_more(_free(key))),
            )
            .execution_options(synchronize_session=False)
        )
        allowed = allowed and counted.rowcount == 1  # type: ignore[attr-defined]
    return allowed


def forget(session: Session, keys: list[str]) -> None:
    """Clear the failures of these keys after a successful log-in (the caller commits)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)).execution_options(
        synchronize_session=False))


def failures(session: Session, key: str) -> int:
    """Return the failures counted for a key."""
    return session.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == key)) or 0


def _free(key: str) -> int:
    return FREE_FOR_NAME if key.startswith("user:") else FREE_ATTEMPTS


def _wait_after_one_more(free: int):  # type: ignore[no-untyped-def]
    """SQL for wait_after(failures + 1), computed from the stored count in the same statement."""
    steps = {n: wait_after(n + 1, free) for n in range(free + _STEPS)}
    return case(steps, value=LoginThrottle.failures, else_=MAX_WAIT)


def _ensure_row(session: Session, key: str) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(LoginThrottle).values(key=key, failures=0, last_attempt=0, wait_until=0).on_conflict_do_nothing()
    )
