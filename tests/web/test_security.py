"""Logging in, throttling, cookies, headers and the secret key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from tests.web.conftest import PASSWORD, World, close_app, log_in, make_app


def test_logging_in_and_out(client: FlaskClient, world: World) -> None:
    response = client.post("/login", data={"username": "tl-a", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/requests/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/requests/").status_code == 302


def test_a_wrong_password_is_refused(client: FlaskClient, world: World) -> None:
    response = client.post("/login", data={"username": "tl-a", "password": "wrong"})
    assert response.status_code == 401
    assert "Onbekende gebruikersnaam of verkeerd wachtwoord." in response.get_data(as_text=True)


def test_logging_in_is_throttled_after_five_failures(client: FlaskClient, world: World) -> None:
    for _ in range(5):
        assert client.post("/login", data={"username": "tl-a", "password": "wrong"}).status_code == 401
    response = client.post("/login", data={"username": "tl-a", "password": PASSWORD})
    assert response.status_code == 429


def test_login_does_not_redirect_to_another_site(client: FlaskClient, world: World) -> None:
    response = client.post("/login?next=//evil.example/x", data={"username": "tl-a", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_an_inactive_account_is_logged_out(client: FlaskClient, world: World, app: Flask) -> None:
    from pool.models import User
    from web import db

    log_in(client, world.lead_a)
    with app.app_context():
        s = db.session()
        s.get(User, world.lead_a.id).active = False  # type: ignore[union-attr]
        s.commit()
    assert client.get("/requests/").status_code == 302


def test_every_response_carries_the_security_headers(client: FlaskClient, world: World) -> None:
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"


def test_the_page_holds_no_inline_script_and_loads_htmx_locally(client: FlaskClient, world: World) -> None:
    log_in(client, world.coordinator)
    page = client.get("/requests/").get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>", page)
    assert '<script src="/static/htmx.min.js" defer>' in scripts and len(scripts) == page.count("<script")
    assert all(re.fullmatch(r'<script src="/static/[a-z.]+\.js" defer>', tag) for tag in scripts), scripts
    assert " style=" not in page and " onclick=" not in page
    with client.get("/static/htmx.min.js") as response:
        assert response.status_code == 200


@pytest.mark.parametrize("secure", [True, False])
def test_the_session_cookie_is_http_only_same_site_and_secure_when_configured(
    engine: Engine, database_url: str, world: World, secure: bool
) -> None:
    app = make_app(database_url, SESSION_COOKIE_SECURE=secure)
    client = app.test_client()
    client.post("/login", data={"username": "tl-a", "password": PASSWORD})
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax" and cookie.secure is secure
    close_app(app)


def test_secure_cookies_are_the_default_and_the_secret_key_is_kept_in_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    from web import create_app

    monkeypatch.delenv("POOL_SECRET_KEY", raising=False)
    monkeypatch.delenv("POOL_SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    first = create_app({"DATABASE_URL": database_url})
    second = create_app({"DATABASE_URL": database_url})
    assert first.config["SESSION_COOKIE_SECURE"] is True
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] and len(first.config["SECRET_KEY"]) == 64
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0
    for app in (first, second):
        close_app(app)
