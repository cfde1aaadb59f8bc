"""A real server on a fresh demo database, driven by Debian's headless Chromium, with axe-core on every page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import send_file
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine, update
from werkzeug.serving import make_server

from pool.db import make_session_factory
from pool.models import User
from pool.services.demo import load_demo
from tests.conftest import empty_tables
from tests.web.conftest import close_app
from web import create_app, jobs

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def demo_database(engine: Engine, database_url: str) -> str:
    """Fill the test database with a fresh demo cooperation (size S)."""
    empty_tables(engine)
    with make_session_factory(engine)() as session:
        load_demo(session, "S", 1)
    return database_url


@pytest.fixture(autouse=True)
def dutch_again(engine: Engine) -> Iterator[None]:
    """Every account speaks Dutch again after a test: one that switched to English and failed before switching
    back would otherwise fail the Dutch tests after it."""
    yield
    with engine.begin() as connection:
        connection.execute(update(User).where(User.locale != "nl").values(locale="nl"))


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """Serve the app over HTTP on a free port in a background thread; axe-core on a test-only route."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "e2e", "SESSION_COOKIE_SECURE": False})
    app.add_url_rule("/__test__/axe.min.js", "axe", lambda: send_file(AXE, mimetype="text/javascript"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    # a planner run makes this test process the active scheduler; later tests start schedulers of their own
    jobs.shutdown(app)
    close_app(app)


@pytest.fixture(scope="module")
def base_url(demo_database: str) -> Iterator[str]:
    """The app on the demo database."""
    with serving(demo_database) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Visitor:
    """A page that checks every page it reaches for WCAG 2.1 AA problems and CSP violations."""

    def __init__(self, page: Page, base_url: str):
        self.page, self.base_url = page, base_url
        self.csp_errors: list[str] = []
        self.checked: list[str] = []
        page.on("console", self._console)
        page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm asks; the person says yes

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.csp_errors.append(message.text)

    def go(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.check()
        return self.page

    def check(self) -> None:
        """Run axe-core on the current page; fail on serious or critical WCAG 2.1 AA violations."""
        page = self.page
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=f"{self.base_url}/__test__/axe.min.js")
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        described = [
            f"{v['id']} ({v['impact']}): {v['help']} at " + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in bad
        ]
        assert not described, f"axe on {page.url}:\n" + "\n".join(described)
        assert not self.csp_errors, self.csp_errors
        self.checked.append(page.url)

    def log_in(self, username: str, password: str) -> None:
        page = self.go("/login")
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state("load")
        assert "/login" not in page.url, page.content()


@pytest.fixture
def visitor(browser: Browser, base_url: str) -> Iterator[Visitor]:
    context = browser.new_context()
    visitor = Visitor(context.new_page(), base_url)
    yield visitor
    context.close()


@pytest.fixture
def make_visitor(browser: Browser, base_url: str) -> Iterator[Any]:
    contexts = []

    def make() -> Visitor:
        context = browser.new_context()
        contexts.append(context)
        return Visitor(context.new_page(), base_url)

    yield make
    for c in contexts:
        c.close()
