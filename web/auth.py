"""Logging in and out, the current user, and the role check every view goes through."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from pool.errors import PoolError
from pool.models import User
from pool.services import accounts
from web import db
from web.forms.accounts import LoginForm

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    app.before_request(_load_user)


def _load_user() -> None:
    user_id = session.get("user_id")
    user = db.session().get(User, user_id) if isinstance(user_id, int) else None
    if user is not None and not user.active:
        session.clear()
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
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Show the log-in form; log in."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(db.session(), form.username.data or "", form.password.data or "",
                                         request.remote_addr or "")
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
            session["user_id"] = user.id
            session["lang"] = lang or user.locale
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    """Log out."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "success")
    return redirect(url_for("auth.login"))
