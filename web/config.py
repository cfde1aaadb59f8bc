"""Configuration: safe defaults, then POOL_* environment variables, then what a test hands over."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from pool.db import DEFAULT_URL

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": DEFAULT_URL,
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 3600,  # idle: a session unused for an hour ends
    "SESSION_ABSOLUTE_LIFETIME": 10 * 3600,  # however busy, a log-in lasts a working day
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "TRUST_PROXY": False,
    "BASE_URL": "",  # the public address, e.g. https://pool.example.nl; feed addresses are built from it
}


def _secret_key(app: Flask) -> str:
    """Return a key kept in the instance folder (made on first run)."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), "utf-8")
    return path.read_text("utf-8").strip()


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config; POOL_X in the environment sets X (JSON values: true, 3600, ["a.nl"]); a test wins."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("POOL")
    for key, default in DEFAULTS.items():
        value = app.config[key]
        if isinstance(default, bool) and isinstance(value, str):  # "yes", "off" and the like
            app.config[key] = value.strip().lower() in ("1", "true", "yes", "on")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    base = str(app.config["BASE_URL"]).rstrip("/")
    app.config["BASE_URL"] = base
    if base and app.config.get("TRUSTED_HOSTS") is None:
        # Only the public host name is answered: a forged Host header gets 400, never a page that echoes it.
        app.config["TRUSTED_HOSTS"] = [urlsplit(base).hostname]
    if app.config["TRUST_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
