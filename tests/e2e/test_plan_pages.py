"""The coordinator's plan pages in a real browser: every page passes axe-core; the grid filters and pages with htmx."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from pool.db import make_engine, make_session_factory
from pool.services.planning import plan_situation
from tests.e2e.conftest import Visitor

pytestmark = pytest.mark.e2e


@pytest.fixture
def draft_id(demo_database: str) -> Iterator[int]:
    """A greedy draft beside the demo's published plan, so that there is something to compare; removed after."""
    engine = make_engine(demo_database)
    with make_session_factory(engine)() as s:
        plan = plan_situation(s, method="greedy", actor="e2e", name="Concept e2e")
        yield plan.id
        s.delete(plan)
        s.commit()
    engine.dispose()


def test_the_coordinator_reviews_and_compares_plans(visitor: Visitor, draft_id: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    visitor.log_in("coordinator", "coordinator-demo")
    page = visitor.go("/plans/")
    assert "Concept e2e" in page.content()
    page.click("text=Concept e2e")
    page.wait_for_url(re.compile(rf"/plans/{draft_id}$"))
    visitor.check()
    assert "Dit plan naast het gepubliceerde plan" in page.content()

    rows = page.locator("#plan-grid table.grid tbody tr")
    expect(rows).to_have_count(50)
    page.click("#plan-grid .pager a:has-text('Volgende pagina')")  # htmx swaps the grid, the address follows
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator("#plan-grid .pager")).to_contain_text("pagina 2 van")
    visitor.check()
    first = rows.first.locator("th").inner_text().split("\n")[0].strip()
    page.fill("#grid-name", first)
    expect(rows.first.locator("th")).to_contain_text(first)
    expect(page.locator("#plan-grid .pager")).to_have_count(0)
    visitor.check()

    page = visitor.go(f"/plans/{draft_id}")
    page.click("#unfilled ~ table a >> nth=0")  # the request with the most unfilled hours
    page.wait_for_url(re.compile(rf"/plans/{draft_id}/requests/\d+$"))
    visitor.check()
    assert "Niet ingevuld" in page.content()

    page = visitor.go("/plans/compare")
    assert re.search(rf"b={draft_id}", page.url)
    assert "Wat er verandert" in page.content()

    page = visitor.go("/situation/upload")
    bad = tmp_path / "situation.json"
    bad.write_text(json.dumps({"format": "pool-instance/1", "horizon": {"start": "2027-01-05", "weeks": 8}}))
    page.set_input_files("#document", str(bad))
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    visitor.check()
    assert "<code>$</code>" in page.content() and "er is niets ingelezen" in page.content()  # keys are missing

    page.click("button[lang=en]")
    page.wait_for_load_state("load")
    page = visitor.go(f"/plans/{draft_id}")
    assert "This plan beside the published plan" in page.content()
    visitor.go("/plans/")
    visitor.go("/pool/specialists/?page=2")
    page = visitor.go("/requests/?page=2")
    page.click("button[lang=nl]")  # the choice is remembered for the account: leave it as the other tests expect
    page.wait_for_load_state("load")
    assert "pagina 2 van" in page.content()
