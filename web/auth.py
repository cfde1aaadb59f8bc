"""Logging in and out, the current user, and the role check every view goes through."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from pool.errors import PoolError
from pool.models import User
from pool.security import new_token
from pool.services import accounts
from web import db
from web.forms.accounts import LoginForm, PasswordForm
from web.refusals import put_on

bp = Blueprint("auth", __name__)

DEVICE_COOKIE = "pool_device"
DEVICE_LIFETIME = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    app.before_request(_load_user)


def _load_user() -> None:
    """Find the session's user; a session of an older session version, or past its absolute lifetime, ends."""
    user_id = session.get("user_id")
    user = accounts.find_user(db.session(), user_id) if isinstance(user_id, int) else None
    fresh = time.time() - session.get("login_at", 0) < current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    if user is not None and (not user.active or session.get("sv") != user.session_version or not fresh):
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        user = None
    g.user = user


def roles(*allowed: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let only logged-in users with one of the roles through: others to the log-in page, or 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.user is None:
                return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
            if g.user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def current_user() -> User:
    """Return the logged-in user (the role check has run)."""
    return g.user  # type: ignore[no-any-return]


def _safe_next(target: str | None) -> str | None:
    """Return a local path to go on to, or None for anything else (another host, control characters)."""
    if not target or any(ord(c) < 32 or c == "\\" for c in target) or len(target) > 2000:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="pool-device")


def _device_of(name: str) -> str:
    """Return the id of this browser's device cookie when it was given for this user name, else ""."""
    try:
        owner, device = _devices().loads(request.cookies.get(DEVICE_COOKIE, ""), max_age=DEVICE_LIFETIME)
    except (BadSignature, ValueError, TypeError):
        return ""
    return str(device) if owner == name else ""


def _remember_device(response: Response, name: str, device: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE, _devices().dumps([name, device or new_token()]), max_age=DEVICE_LIFETIME,
        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax",
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Show the log-in form; log in."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        name = (form.username.data or "").strip().lower()
        device = _device_of(name)
        try:
            user = accounts.authenticate(db.session(), name, form.password.data or "", request.remote_addr or "",
                                         device=device)
        except accounts.LoginThrottled:
            form.form_errors.append(_("Too many failed attempts. Wait a few minutes and try again."))
            status = 429
        except PoolError:
            form.form_errors.append(_("Unknown user name or wrong password."))
            status = 401
        else:
            lang = session.get("lang")
            session.clear()
            session.permanent = True
            session.update(user_id=user.id, sv=user.session_version, login_at=int(time.time()),
                           lang=lang or user.locale)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            response = redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
            _remember_device(response, name, device)
            return response
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    """Log out: this session and every copy of its cookie stop working."""
    if g.user is not None:
        accounts.end_sessions(db.session(), g.user)
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@roles("team_lead", "specialist", "coordinator")
def password() -> Any:
    """Change my own password; my other sessions end, this one goes on."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user()
        try:
            accounts.change_password(db.session(), user, form.current.data or "", form.new.data or "")
        except PoolError as e:
            put_on(form, e)
        else:
            session.update(sv=user.session_version, login_at=int(time.time()))
            flash(_("Your password is changed."), "success")
            return redirect(url_for("home.index"), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
