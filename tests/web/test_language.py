"""Dutch by default, English on request; weeks, dates and numbers in the user's locale."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from pool.models import User
from tests.web.conftest import World, log_in
from web.i18n import iso_week

TRANSLATIONS = Path(__file__).resolve().parents[2] / "web" / "translations"


def test_the_application_speaks_dutch_by_default(client: FlaskClient, world: World) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in page and "<h1>Inloggen</h1>" in page


def test_switching_to_english_is_remembered_for_the_user(client: FlaskClient, world: World,
                                                          session: Session) -> None:
    log_in(client, world.lead_a)
    response = client.post("/language", data={"lang": "en", "next": "/requests/"})
    assert response.status_code == 303 and response.headers["Location"] == "/requests/"
    page = client.get("/requests/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Our requests" in page
    session.expire_all()
    assert session.get(User, world.lead_a.id).locale == "en"  # type: ignore[union-attr]


def test_weeks_dates_and_numbers_follow_the_locale(app: Flask) -> None:
    with app.test_request_context("/"):
        from flask import render_template_string, session

        session["lang"] = "en"
        text = render_template_string("{{ d|iso_week }} {{ d|date }} {{ n|number }}", d=dt.date(2027, 1, 18), n=1234.5)
        assert text == "week 3, 2027 Jan 18, 2027 1,234.5"
    with app.test_request_context("/"):
        from flask import render_template_string

        assert iso_week(dt.date(2026, 12, 28)) == "week 53, 2026"
        text = render_template_string("{{ d|date }} {{ n|number }}", d=dt.date(2027, 1, 18), n=1234.5)
        assert text == "18 jan 2027 1.234,5"


def test_the_compiled_catalogues_match_their_sources(tmp_path: Path) -> None:
    for locale in ("nl", "en"):
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        out = tmp_path / f"{locale}.mo"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-i", str(po), "-o", str(out),
                        "-l", locale], check=True, capture_output=True)
        assert out.read_bytes() == (po.with_suffix(".mo")).read_bytes(), f"run pybabel compile for {locale}"


def test_every_dutch_message_is_translated() -> None:
    from babel.messages.pofile import read_po

    with open(TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple)
                                                            else m.string)]
    assert untranslated == []
