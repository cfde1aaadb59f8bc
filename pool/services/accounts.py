"""User accounts: logging in (throttled), managing accounts, language and the calendar token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pool.errors import NotFound, PoolError
from pool.models import ROLES, Municipality, Specialist, User
from pool.models.base import MAX_INT
from pool.security import check_password, hash_password, new_token
from pool.services import throttle
from pool.services.audit import HIDDEN, HIDDEN_NEW, apply, record
from pool.services.passwords import check_password_rule
from pool.services.transaction import transaction

LOCALES = ("nl", "en")
# Checked when the user name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password")


class LoginRefused(PoolError):
    """Wrong user name or password, or an inactive account."""


class LoginThrottled(PoolError):
    """Too many failures for this user name or address; try again later."""


def authenticate(session: Session, username: str, password: str, address: str = "",
                 now: dt.datetime | None = None, device: str = "") -> User:
    """Return the active user with this name and password; slow down guessing (see pool.services.throttle).

    `device` is the id of a device cookie that the caller has checked belongs to this user name.
    """
    now = now or dt.datetime.now(dt.UTC)
    name = username.strip().lower()
    keys = throttle.keys_for(name, address, device)
    with transaction(session):
        allowed = throttle.claim(session, keys, now)
        user = session.scalars(select(User).where(User.username == name)).first()
    if not allowed:
        raise LoginThrottled("too many failed attempts; try again in a few minutes")
    # The slow hash check runs outside any transaction, so no lock is held meanwhile (SQLite has one).
    ok = check_password(user.password_hash if user else _DUMMY_HASH, password)
    with transaction(session):
        if user is None or not ok or not user.active:
            record(session, "anonymous", "login-failed", "user", name)
            user = None
        else:
            throttle.forget(session, keys[:1])
            record(session, user, "login", "user", user.id)
    if user is None:
        raise LoginRefused("unknown user name or wrong password")
    return user


def get_user(session: Session, user_id: int) -> User:
    """Return a user by id."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"there is no user {user_id}")
    return user


def find_user(session: Session, user_id: int) -> User | None:
    """Return the user with this id, or None (a session cookie may name an account that is gone)."""
    return session.get(User, user_id) if 0 < user_id <= MAX_INT else None


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
        raise PoolError("unknown role %(role)r", field="role", role=data.role)
    if data.role == "team_lead" and (
        data.municipality_id is None or session.get(Municipality, data.municipality_id) is None
    ):
        raise PoolError("a team lead belongs to a municipality", field="municipality_id")
    if data.role == "specialist" and (
        data.specialist_id is None or session.get(Specialist, data.specialist_id) is None
    ):
        raise PoolError("a specialist account is linked to a specialist", field="specialist_id")
    clash = session.scalars(select(User).where(User.username == data.username.strip().lower())).first()
    if clash is not None and clash is not user:
        raise PoolError("the user name %(name)r is taken", field="username", name=data.username)
    if data.specialist_id is not None:
        linked = session.scalars(select(User).where(User.specialist_id == data.specialist_id)).first()
        if linked is not None and linked is not user:
            raise PoolError("that specialist already has an account", field="specialist_id")
    if user is None or data.password:
        check_password_rule(data.password, data.username, data.name)


def _apply(user: User, data: AccountInput) -> dict[str, object]:
    values = {
        "username": data.username.strip().lower(), "name": data.name.strip(), "email": data.email.strip(),
        "role": data.role, "active": data.active,
        "municipality_id": data.municipality_id if data.role == "team_lead" else None,
        "specialist_id": data.specialist_id if data.role == "specialist" else None,
    }
    return dict(apply(user, values))


def ids_for_codes(session: Session, municipality: str | None, specialist: str | None) -> tuple[int | None, int | None]:
    """The ids of a municipality (by CBS code) and a specialist (by code), for accounts made on the command line."""
    municipality_id = specialist_id = None
    if municipality is not None:
        municipality_id = session.scalar(select(Municipality.id).where(Municipality.code == municipality.upper()))
        if municipality_id is None:
            raise PoolError(f"there is no municipality with CBS code {municipality!r}")
    if specialist is not None:
        specialist_id = session.scalar(select(Specialist.id).where(Specialist.code == specialist))
        if specialist_id is None:
            raise PoolError(f"there is no specialist with code {specialist!r}")
    return municipality_id, specialist_id


def create_user(session: Session, actor: User | str, data: AccountInput) -> User:
    """Create an account (the actor is a person, or "command line")."""
    _check_account(session, data, None)
    user = User(password_hash=hash_password(data.password))
    with transaction(session):
        changes = _apply(user, data)
        session.add(user)
        session.flush()
        record(session, actor, "create", "user", user.id, changes | {"password": [None, HIDDEN_NEW]})
    return user


def update_user(session: Session, actor: User, user_id: int, data: AccountInput) -> User:
    """Change an account; an empty password keeps the old one."""
    user = get_user(session, user_id)
    _check_account(session, data, user)
    if user.id == actor.id and (not data.active or data.role != user.role):
        raise PoolError("you cannot deactivate your own account or change your own role",
                        field="active" if not data.active else "role")
    with transaction(session):
        changes = _apply(user, data)
        if data.password:
            user.password_hash = hash_password(data.password)
            user.session_version += 1  # a reset logs out every session of the account
            changes["password"] = [HIDDEN, HIDDEN_NEW]
        if not user.active and user.calendar_token is not None:
            user.calendar_token = None
            changes["calendar_token"] = [HIDDEN, None]
        record(session, actor, "update", "user", user.id, changes)
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Let a user change their own password; every other session of theirs ends."""
    if not check_password(user.password_hash, current):
        with transaction(session):
            record(session, user, "change-password-refused", "user", user.id)
        raise PoolError("the current password is wrong", field="current")
    check_password_rule(new, user.username, user.name)
    if check_password(user.password_hash, new):
        raise PoolError("the new password is the one you have", field="new")
    with transaction(session):
        user.password_hash = hash_password(new)
        user.session_version += 1
        record(session, user, "change-password", "user", user.id,
               {"password": [HIDDEN, HIDDEN_NEW], "session_version": [user.session_version - 1, user.session_version]})


def end_sessions(session: Session, user: User) -> None:
    """Log a user out everywhere: session cookies of the older session version stop working."""
    with transaction(session):
        user.session_version += 1
        record(session, user, "logout", "user", user.id,
               {"session_version": [user.session_version - 1, user.session_version]})


def set_locale(session: Session, user: User, locale: str) -> None:
    """Remember the language a user reads the application in."""
    if locale not in LOCALES:
        raise PoolError("unknown language %(locale)r", locale=locale)
    if user.locale == locale:
        return
    with transaction(session):
        record(session, user, "update", "user", user.id, apply(user, {"locale": locale}))


def new_calendar_token(session: Session, user: User) -> str:
    """Give a specialist a fresh secret calendar token; the old feed address stops working."""
    if user.role != "specialist":
        raise PoolError("only specialists have a calendar feed")
    with transaction(session):
        before = HIDDEN if user.calendar_token else None
        user.calendar_token = new_token()
        record(session, user, "new-calendar-token", "user", user.id, {"calendar_token": [before, HIDDEN_NEW]})
    return user.calendar_token


def revoke_calendar_token(session: Session, user: User) -> None:
    """Switch a specialist's calendar feed off."""
    with transaction(session):
        before = HIDDEN if user.calendar_token else None
        user.calendar_token = None
        record(session, user, "revoke-calendar-token", "user", user.id, {"calendar_token": [before, None]})


def user_for_calendar_token(session: Session, token: str) -> User:
    """Return the active specialist whose calendar token this is."""
    if not token:
        raise NotFound("no such calendar")
    user = session.scalars(select(User).where(User.calendar_token == token)).first()
    if user is None or not user.active or user.role != "specialist":
        raise NotFound("no such calendar")
    return user
