"""User accounts: logging in (throttled), managing accounts, language and the calendar token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pool.errors import NotFound, PoolError
from pool.models import ROLES, LoginThrottle, Municipality, Specialist, User
from pool.security import check_password, hash_password, new_token
from pool.services.audit import record
from pool.services.transaction import transaction

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)
LOCALES = ("nl", "en")
MIN_PASSWORD = 10
# Checked when the user name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password")


class LoginRefused(PoolError):
    """Wrong user name or password, or an inactive account."""


class LoginThrottled(PoolError):
    """Too many failures for this user name or address; try again later."""


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands timezone-aware columns back without their zone; they are stored in UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _throttle(session: Session, key: str) -> LoginThrottle | None:
    return session.scalars(select(LoginThrottle).where(LoginThrottle.key == key)).first()


def _locked(session: Session, keys: list[str], now: dt.datetime) -> bool:
    for key in keys:
        row = _throttle(session, key)
        locked_until = _aware(row.locked_until) if row else None
        if locked_until is not None and locked_until > now:
            return True
    return False


def _fail(session: Session, keys: list[str], now: dt.datetime) -> None:
    for key in keys:
        row = _throttle(session, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_start=now)
            session.add(row)
        start = _aware(row.window_start)
        if start is None or now - start > WINDOW:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if row.failures >= MAX_FAILURES:
            row.locked_until, row.failures, row.window_start = now + LOCKOUT, 0, now


def authenticate(session: Session, username: str, password: str, address: str = "",
                 now: dt.datetime | None = None) -> User:
    """Return the active user with this name and password; count failures and lock out guessing."""
    now = now or _now()
    name = username.strip().lower()
    keys = [f"user:{name}"] + ([f"addr:{address}"] if address else [])
    if _locked(session, keys, now):
        raise LoginThrottled("too many failed attempts; try again in a few minutes")
    with transaction(session):
        user = session.scalars(select(User).where(User.username == name)).first()
        ok = check_password(user.password_hash if user else _DUMMY_HASH, password)
        accepted = user is not None and ok and user.active
        if user is None or not accepted:
            _fail(session, keys, now)
            record(session, "anonymous", "login-failed", "user", name)
        else:
            for key in keys[:1]:
                row = _throttle(session, key)
                if row is not None:
                    session.delete(row)
            record(session, user, "login", "user", user.id)
    if user is None or not accepted:
        raise LoginRefused("unknown user name or wrong password")
    return user


def get_user(session: Session, user_id: int) -> User:
    """Return a user by id."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"there is no user {user_id}")
    return user


def list_users(session: Session, query: str = "") -> list[User]:
    """Return the accounts whose user name or name holds the query."""
    stmt = select(User).order_by(User.role, User.username)
    if query.strip():
        like = f"%{query.strip()}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.name.ilike(like)))
    return list(session.scalars(stmt))


@dataclass
class AccountInput:
    username: str
    name: str
    email: str
    role: str
    municipality_id: int | None = None
    specialist_id: int | None = None
    active: bool = True
    password: str = ""


def _check_account(session: Session, data: AccountInput, user: User | None) -> None:
    if data.role not in ROLES:
        raise PoolError(f"unknown role {data.role!r}")
    if data.role == "team_lead" and (
        data.municipality_id is None or session.get(Municipality, data.municipality_id) is None
    ):
        raise PoolError("a team lead belongs to a municipality")
    if data.role == "specialist" and (
        data.specialist_id is None or session.get(Specialist, data.specialist_id) is None
    ):
        raise PoolError("a specialist account is linked to a specialist")
    clash = session.scalars(select(User).where(User.username == data.username.strip().lower())).first()
    if clash is not None and clash is not user:
        raise PoolError(f"the user name {data.username!r} is taken")
    if data.specialist_id is not None:
        linked = session.scalars(select(User).where(User.specialist_id == data.specialist_id)).first()
        if linked is not None and linked is not user:
            raise PoolError("that specialist already has an account")
    if (user is None or data.password) and len(data.password) < MIN_PASSWORD:
        raise PoolError(f"a password has at least {MIN_PASSWORD} characters")


def _apply(user: User, data: AccountInput) -> dict[str, object]:
    values = {
        "username": data.username.strip().lower(), "name": data.name.strip(), "email": data.email.strip(),
        "role": data.role, "active": data.active,
        "municipality_id": data.municipality_id if data.role == "team_lead" else None,
        "specialist_id": data.specialist_id if data.role == "specialist" else None,
    }
    changes = {k: v for k, v in values.items() if getattr(user, k, None) != v}
    for k, v in values.items():
        setattr(user, k, v)
    return changes


def create_user(session: Session, actor: User, data: AccountInput) -> User:
    """Create an account."""
    _check_account(session, data, None)
    user = User(password_hash=hash_password(data.password))
    with transaction(session):
        changes = _apply(user, data)
        session.add(user)
        session.flush()
        record(session, actor, "create", "user", user.id, changes)
    return user


def update_user(session: Session, actor: User, user_id: int, data: AccountInput) -> User:
    """Change an account; an empty password keeps the old one."""
    user = get_user(session, user_id)
    _check_account(session, data, user)
    if user.id == actor.id and (not data.active or data.role != user.role):
        raise PoolError("you cannot deactivate your own account or change your own role")
    with transaction(session):
        changes = _apply(user, data)
        if data.password:
            user.password_hash = hash_password(data.password)
            changes["password"] = "changed"
        if not user.active:
            user.calendar_token = None
        record(session, actor, "update", "user", user.id, changes)
    return user


def set_locale(session: Session, user: User, locale: str) -> None:
    """Remember the language a user reads the application in."""
    if locale not in LOCALES:
        raise PoolError(f"unknown language {locale!r}")
    if user.locale == locale:
        return
    with transaction(session):
        record(session, user, "update", "user", user.id, {"locale": locale})
        user.locale = locale


def new_calendar_token(session: Session, user: User) -> str:
    """Give a specialist a fresh secret calendar token; the old feed address stops working."""
    if user.role != "specialist":
        raise PoolError("only specialists have a calendar feed")
    with transaction(session):
        user.calendar_token = new_token()
        record(session, user, "new-calendar-token", "user", user.id)
    return user.calendar_token


def revoke_calendar_token(session: Session, user: User) -> None:
    """Switch a specialist's calendar feed off."""
    with transaction(session):
        user.calendar_token = None
        record(session, user, "revoke-calendar-token", "user", user.id)


def user_for_calendar_token(session: Session, token: str) -> User:
    """Return the active specialist whose calendar token this is."""
    if not token:
        raise NotFound("no such calendar")
    user = session.scalars(select(User).where(User.calendar_token == token)).first()
    if user is None or not user.active or user.role != "specialist":
        raise NotFound("no such calendar")
    return user
