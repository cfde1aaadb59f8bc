"""Issue 11, item 1 in a real browser: a new horizon leaves an approved request behind, and people are told.

Its own small database (the tiny instance and the web tests' accounts), so moving the horizon does not
move it under the other browser tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pool.db import make_engine, make_session_factory, upgrade
from tests.conftest import SAMPLE
from tests.e2e.conftest import Visitor, serving
from tests.web.conftest import PASSWORD, build_world

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tiny_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on a fresh SQLite database with the tiny instance, its accounts and a published plan."""
    url = f"sqlite:///{tmp_path_factory.mktemp('horizon')}/tiny.db"
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        build_world(session)
    engine.dispose()
    with serving(url) as served:
        yield served


@pytest.fixture
def visit(browser: Any, tiny_url: str) -> Iterator[Any]:
    contexts = []

    def make(username: str) -> Visitor:
        context = browser.new_context()
        contexts.append(context)
        visitor = Visitor(context.new_page(), tiny_url)
        visitor.log_in(username, PASSWORD)
        return visitor

    yield make
    for c in contexts:
        c.close()


def test_a_new_horizon_that_leaves_an_approved_request_behind_is_told_to_its_team_lead_and_the_coordinator(
    visit: Any, tmp_path: Path
) -> None:
    later = json.loads(SAMPLE.read_text("utf-8")) | {"requests": [], "previous_plan": []}
    later["horizon"] = {"start": "2027-03-01", "weeks": 8}
    for s in later["specialists"]:
        s["unavailable"] = []
    situation = tmp_path / "later.json"
    situation.write_text(json.dumps(later), "utf-8")

    coordinator = visit("coord")
    page = coordinator.go("/situation/upload")
    page.set_input_files("#document", str(situation))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    coordinator.check()
    page = coordinator.go("/dashboard")
    notice = page.locator("#outside-horizon").inner_text()
    assert "2 aanvragen liggen buiten de planperiode (week 9, 2027 tot en met week 16, 2027)" in notice
    page = coordinator.go("/notifications/")
    assert page.content().count("ligt nu buiten de planperiode") == 2

    lead = visit("tl-a")
    page = lead.go("/notifications/")
    assert "Aanvraag R00001" in page.content() and "ligt nu buiten de planperiode" in page.content()
    page = lead.go("/requests/")
    assert "1 aanvraag ligt buiten de planperiode" in page.locator("#outside-horizon").inner_text()
    page.click("#outside-horizon a")
    page.wait_for_load_state("load")
    lead.check()
    assert "De periode van deze aanvraag ligt buiten de planperiode" in page.locator("#outside-horizon").inner_text()
