"""Contributions, capacity, partner budget, vulnerable skills and what-if scenarios on the small test world."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.models import PartnerContract, Plan, PlannerRun, Request, Scenario, Specialist
from pool.services import runs
from pool.services import what_would_help as what_would_help_module
from pool.services.capacity import capacity
from pool.services.contributions import contribution_lines
from pool.services.partner_budget import partner_budget
from pool.services.vulnerable import ONE_PERSON, vulnerable_skills
from pool.services.what_would_help import what_would_help
from tests.web.conftest import World, close_app, log_in, make_app


@pytest.fixture
def app(engine, database_url, world):  # type: ignore[no-untyped-def]
    """The app without a scheduler: the test runs the job itself, as the scheduler would."""
    app = make_app(database_url, SCHEDULER="off")
    yield app
    close_app(app)


@pytest.fixture
def coord(client: FlaskClient, world: World) -> FlaskClient:
    return log_in(client, world.coordinator)


@pytest.mark.parametrize("url", ["/ledger", "/ledger.csv?year=2027", "/contributions", "/capacity",
                                 "/capacity?level=3", "/capacity/gis", "/partner/budget", "/skills/vulnerable",
                                 "/skills/vulnerable.csv", "/scenarios", "/what-would-help"])
def test_every_page_answers_a_coordinator_in_both_languages(coord: FlaskClient, url: str) -> None:
    for lang in ("nl", "en"):
        coord.post("/language", data={"lang": lang, "next": "/"})
        assert coord.get(url).status_code == 200, (url, lang)


def test_a_municipality_that_makes_fewer_hours_available_than_it_committed_is_flagged_with_the_gap(
    session: Session, world: World
) -> None:
    # Dordrecht commits 24 h a week; S0001 (16 h) is away 16 h in week 3 (January), S0002 (8 h) 8 h in week 4.
    # Zwijndrecht commits 8; S0003 (8 h) is away 4 h in week 0 and 8 h in week 1.
    short = {(line.month, line.municipality): line.gap for line in contribution_lines(session) if line.short}
    assert short == {("2027-01", "GM0505"): 16, ("2027-02", "GM0505"): 8, ("2027-01", "GM0642"): 12}
    january = next(x for x in contribution_lines(session) if x.month == "2027-01" and x.municipality == "GM0505")
    assert (january.committed_hours, january.available_hours, january.used_hours) == (96, 80, 20)


def test_a_skill_held_by_one_internal_specialist_at_the_level_asked_is_vulnerable(session: Session,
                                                                                  world: World) -> None:
    found = {(v.skill_code, v.level): (v.kind, v.demand_hours, v.holders) for v in vulnerable_skills(session)}
    # bio-security at level 2 has S0001 and S0003: not vulnerable.
    assert found == {("bio-security", 3): (ONE_PERSON, 40, ["A. de Vries (S0001)"]),
                     ("gis", 3): (ONE_PERSON, 16, ["M. van den Berg (S0002)"])}


def test_a_skill_only_the_partner_holds_is_vulnerable(session: Session, world: World) -> None:
    s1 = session.scalars(select(Specialist).where(Specialist.code == "S0001")).one()
    s1.active = False
    session.commit()
    kinds = {(v.skill_code, v.level): v.kind for v in vulnerable_skills(session)}
    assert kinds[("bio-security", 3)] == "partner-only"


def test_the_vulnerable_skills_csv_lists_the_same_skills(coord: FlaskClient, session: Session) -> None:
    rows = list(csv.reader(io.StringIO(coord.get("/skills/vulnerable.csv").get_data(as_text=True))))
    assert rows[0][:4] == ["skill", "skill_name", "min_level", "kind"]
    assert {(r[0], r[2]) for r in rows[1:]} == {(v.skill_code, str(v.level)) for v in vulnerable_skills(session)}


def test_capacity_spreads_demand_over_the_window_and_filters_supply_by_level(session: Session, world: World) -> None:
    cap = capacity(session, 1)
    bio = next(r for r in cap.rows if r.skill.code == "bio-security")
    # R00001: 40 h over weeks 1-5 (8 a week); R00002: 8 h of bio over weeks 0-3 (2 a week).
    assert [c.demand for c in bio.cells[:6]] == [2.0, 10.0, 10.0, 10.0, 8.0, 8.0]
    # S0001 (16, away in week 3) and S0003 (8, away 4 and 8 h in weeks 0 and 1) hold bio; at level 3 only S0001.
    assert [c.supply for c in bio.cells[:4]] == [20, 16, 24, 8]
    bio3 = next(r for r in capacity(session, 3).rows if r.skill.code == "bio-security")
    assert [c.supply for c in bio3.cells[:4]] == [16, 16, 16, 0]
    assert [c.planned for c in bio.cells[:4]] == [0, 12, 8, 0]


def test_the_partner_budget_counts_partner_hours_week_by_week(session: Session, world: World) -> None:
    budget = partner_budget(session)
    assert budget.contract is not None and budget.contract.budget_hours == 40
    assert budget.weeks and all(b.published == 0 for b in budget.weeks)  # the test plan uses no partner
    assert budget.runs_out is None and budget.left == 40


def _start(coord: FlaskClient, scenario_id: int) -> int:
    response = coord.post("/plans/runs", data={"method": "greedy", "time_limit": "5", "frozen_weeks": "0",
                                               "scenario": str(scenario_id)})
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _real_state(session: Session) -> tuple[object, ...]:
    session.expire_all()
    plans = sorted((p.id, p.status, len(p.assignments)) for p in session.scalars(select(Plan)))
    requests = sorted((r.code, r.status, len(r.needs)) for r in session.scalars(select(Request)))
    people = sorted((s.code, s.pool_hours_per_week, s.active, len(s.unavailability))
                    for s in session.scalars(select(Specialist)))
    return plans, requests, people


def test_a_scenario_is_planned_by_the_run_job_and_compared_without_touching_anything_real(
    app: Flask, coord: FlaskClient, session: Session, database_url: str
) -> None:
    before = _real_state(session)
    made = coord.post("/scenarios", data={"name": "Without S0001"})
    assert made.status_code == 303
    scenario_id = int(made.headers["Location"].rsplit("/", 1)[1])
    for change in ({"kind": "specialist-leaves", "specialist": "S0001", "week": "0"},
                   {"kind": "partner-budget", "hours": "0"},
                   {"kind": "extra-request", "municipality": "GM0642", "skill": "gis", "min_level": "2",
                    "hours": "10", "priority": "1", "week": "0", "end_week": "7"}):
        assert coord.post(f"/scenarios/{scenario_id}/changes", data=change).status_code == 303, change
    refused = coord.post(f"/scenarios/{scenario_id}/changes?lang=en",
                         data={"kind": "specialist-leaves", "specialist": "S9999", "week": "0"})
    assert refused.status_code == 422 and "S9999" in refused.get_data(as_text=True)

    run_id = _start(coord, scenario_id)
    runs.execute_run(run_id, database_url)

    session.expire_all()
    run = session.get(PlannerRun, run_id)
    scenario = session.get(Scenario, scenario_id)
    assert run is not None and run.status == "finished" and run.plan_id is None
    assert scenario is not None and scenario.plan is not None
    people = {a["specialist"] for a in scenario.plan["assignments"]}
    assert "S0001" not in people and "P001" not in people
    assert any(a["request"].startswith("WHATIF-") for a in scenario.plan["assignments"])
    assert _real_state(session) == before  # no draft plan, no request, no specialist touched

    coord.post("/language", data={"lang": "en", "next": "/"})
    page = coord.get(f"/scenarios/{scenario_id}").get_data(as_text=True)
    assert "Plan figures" in page and "Published plan" in page and "Ledger 2027" in page

    assert coord.post(f"/scenarios/{scenario_id}/rename", data={"name": "Renamed"}).status_code == 303
    assert coord.post(f"/scenarios/{scenario_id}/changes/2/delete").status_code == 303
    session.expire_all()
    scenario = session.get(Scenario, scenario_id)
    assert scenario is not None and scenario.name == "Renamed" and len(scenario.changes) == 2
    assert scenario.plan is None  # a changed scenario must be planned again
    assert coord.post(f"/scenarios/{scenario_id}/delete").status_code == 303
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Scenario)) == 0
    assert _real_state(session) == before


def _tight(session: Session) -> None:
    """R00001 (bio-security level 3, high: weight 300) asks 60 hours in weeks 1-2 only and the partner has no
    budget: S0001's 2 × 16 hours are all any plan can give it, 28 hours stay unfilled."""
    r = session.scalars(select(Request).where(Request.code == "R00001")).one()
    r.last_week, r.max_hours_per_week, r.needs[0].hours = r.first_week + dt.timedelta(weeks=1), 60, 60
    session.scalars(select(PartnerContract)).one().budget_hours = 0
    session.commit()
    what_would_help_module._KEPT.clear()  # changed behind the services' back: no audit event marks it


def test_what_would_help_ranks_extra_capacity_by_the_unmet_weighted_demand_it_fills(session: Session,
                                                                                  world: World) -> None:
    _tight(session)
    found = [(h.kind, h.specialist, h.skill, h.level, h.hours, h.confirmed_hours, h.confirmed)
             for h in what_would_help(session)]
    assert found == [
        ("partner-budget", "", "", 0, 40, 28, 8400),  # 40 h of budget, the request allows the partner
        ("skill-level", "S0002", "bio-security", 3, 0, 16, 4800),  # S0002's gis need fits in weeks 0 and 3
        ("more-hours", "S0001", "", 0, 4, 8, 2400),  # 4 h in each of the 2 weeks
    ]


def test_what_would_help_prices_nothing_that_a_re_plan_alone_would_fill(session: Session, world: World) -> None:
    # As built, S0001's free weeks and the partner's 40 h of budget could take the 20 unmet hours of R00001.
    what_would_help_module._KEPT.clear()
    assert what_would_help(session) == []


def test_what_would_help_is_worked_out_in_a_thread_while_the_page_says_so(coord: FlaskClient,
                                                                         session: Session) -> None:
    _tight(session)
    coord.post("/language", data={"lang": "en", "next": "/"})
    first = coord.get("/what-would-help").get_data(as_text=True)
    assert "being worked out" in first and 'hx-trigger="every 5s"' in first
    for _ in range(300):
        if what_would_help_module._KEPT:
            break
        time.sleep(0.1)
    page = coord.get("/what-would-help").get_data(as_text=True)
    assert "being worked out" not in page and "A partner budget of 40 hours" in page and "8,400" in page


def test_an_entry_is_tried_as_a_scenario_with_its_change(coord: FlaskClient, session: Session) -> None:
    response = coord.post("/what-would-help/try", data={"kind": "more-hours", "specialist": "S0001", "hours": "4",
                                                        "name": "More from S0001"})
    assert response.status_code == 303
    scenario = session.scalars(select(Scenario)).one()
    assert scenario.changes == [{"kind": "more-hours", "specialist": "S0001", "hours": 4}]
    s1 = next(s for s in scenario.situation["specialists"] if s["id"] == "S0001")
    assert s1["pool_hours_per_week"] == 16  # the copy is as it was; the change is applied when planned


def test_the_capacity_heatmap_is_an_svg_with_the_numbers_in_its_cells_and_a_link_per_skill(
    coord: FlaskClient, session: Session
) -> None:
    coord.post("/language", data={"lang": "en", "next": "/"})
    page = coord.get("/capacity").get_data(as_text=True)
    svg = page[page.index("<svg class=\"chart heatmap-chart\""):page.index("</svg>")]
    assert "<title id=\"heat-title\">" in svg and "<desc id=\"heat-desc\">" in svg
    assert '<a href="/capacity/bio-security">' in svg
    # bio-security, week 1 (the horizon's second): 10 demand hours (8 of R00001, 2 of R00002), 16 supply
    assert ">10/16</text>" in svg and "demand 10, supply 16, planned 12 hours" in svg
    assert 'class="heat-value load-high">10/16<' not in svg  # 10 ÷ 16 is under 90%: the mid band
    assert 'class="heat-value load-mid">10/16<' in svg
    at_three = coord.get("/capacity?level=3").get_data(as_text=True)
    assert "minimum level 3" in at_three and 'class="heat-value load-over">10/0<' in at_three  # week 3: S0001 away


@pytest.mark.parametrize(("change", "field", "dutch"), [
    ({"kind": "extra-request", "municipality": "GM0642", "skill": "gis", "min_level": "2", "hours": "0",
      "priority": "1", "week": "0", "end_week": "7"}, "hours", "Een extra aanvraag heeft 1 tot 100.000 uur nodig."),
    ({"kind": "extra-request", "municipality": "GM0642", "skill": "gis", "min_level": "2", "hours": "8",
      "priority": "1", "week": "5", "end_week": "9"}, "week",
     "De periode loopt van week 0 tot en met 7, de eerste week niet na de laatste."),
    ({"kind": "skill-level", "specialist": "S0001", "skill": "cobol-85", "min_level": "3"}, "skill",
     "Er is geen vaardigheid &#39;cobol-85&#39; in dit scenario."),
])
def test_a_change_the_scenario_cannot_take_is_refused_next_to_its_field_in_the_users_language(
    coord: FlaskClient, session: Session, change: dict[str, str], field: str, dutch: str
) -> None:
    scenario_id = int(coord.post("/scenarios", data={"name": "S"}).headers["Location"].rsplit("/", 1)[1])
    coord.post("/language", data={"lang": "nl", "next": "/"})
    refused = coord.post(f"/scenarios/{scenario_id}/changes", data=change)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f'<p class="error" id="{field}-error">{dutch}</p>' in page
    session.expire_all()
    assert session.get(Scenario, scenario_id).changes == []  # type: ignore[union-attr]
