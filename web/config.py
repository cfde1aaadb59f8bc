"""Configuration: safe defaults, then the environment, then what a test hands over."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from pool.db import database_url


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def _secret_key(app: Flask) -> str:
    """Return POOL_SECRET_KEY, else a key kept in the instance folder (made on first run)."""
    if os.environ.get("POOL_SECRET_KEY"):
        return os.environ["POOL_SECRET_KEY"]
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), "utf-8")
    return path.read_text("utf-8").strip()


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config; a test may override anything, including the database URL and the cookie flags."""
    app.config.from_mapping(
        DATABASE_URL=database_url(),
        SESSION_COOKIE_SECURE=_flag("POOL_SESSION_COOKIE_SECURE", True),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_DEFAULT_TIMEZONE="Europe/Amsterdam",
        MAX_CONTENT_LENGTH=1024 * 1024,
        TRUST_PROXY=_flag("POOL_TRUST_PROXY", False),
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    if app.config["TRUST_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
