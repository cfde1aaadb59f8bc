"""Every route, every role: who may reach it, and objects of others that do not exist for you.

The table below is the authorisation policy; a route that is not in it fails the first test.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from pool.models import Plan
from tests.web.conftest import HTMX, World, close_app, log_in, make_app

PUBLIC = {"anonymous", "team_lead", "specialist", "coordinator"}
C, T, S = {"coordinator"}, {"team_lead"}, {"specialist"}
ROUTES: dict[str, set[str]] = {
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.password": T | S | C,
    "home.index": PUBLIC,
    "home.language": PUBLIC,
    "home.dashboard": C,
    "calendar.feed": PUBLIC,  # the secret token is the key
    "operations.healthz": PUBLIC,  # for monitors and load balancers; tells nothing but up or down
    "requests.index": T | C,
    "requests.new": T,
    "requests.edit": T | C,
    "requests.need_row": T | C,
    "requests.validate": T | C,
    "requests.show": T | C,
    "requests.submit": T,
    "requests.cancel": T | C,
    "requests.approve": C,
    "requests.approve_many": C,
    "requests.reject": C,
    "me.assignments": S,
    "me.leave": S,
    "me.delete_leave": S,
    "me.skills": S,
    "me.edit_skill": S,
    "me.skill_row": S,
    "me.propose": S,
    "me.calendar": S,
    "me.new_token": S,
    "me.revoke_token": S,
    "municipalities.index": C,
    "municipalities.new": C,
    "municipalities.show": C,
    "municipalities.add_contribution": C,
    "specialists.index": C,
    "specialists.new": C,
    "specialists.show": C,
    "specialists.set_level": C,
    "specialists.remove_skill": C,
    "skills.index": C,
    "skills.edit": C,
    "skills.row": C,
    "partner.contract": C,
    "users.index": C,
    "users.new": C,
    "users.edit": C,
    "skill_changes.index": C,
    "skill_changes.decide": C,
    "runs.index": C,
    "runs.show": C,
    "runs.stop": C,
    "plan_desk.assign": C,
    "plan_desk.fits": C,
    "plan_desk.revise": C,
    "plan_desk.publish": C,
    "notifications.index": T | S | C,
    "plans.index": C,
    "plans.show": C,
    "plans.download": C,
    "plans.request_view": C,
    "plans.compare": C,
    "situation.download": C,
    "situation.upload": C,
    "ledger.index": T | C,
    "ledger.download": T | C,
    "contributions.index": C,
    "capacity.index": C,
    "capacity.skill": C,
    "partner_budget.index": C,
    "vulnerable.index": C,
    "vulnerable.download": C,
    "scenarios.index": C,
    "scenarios.show": C,
    "scenarios.add_change": C,
    "scenarios.remove_change": C,
    "scenarios.rename": C,
    "scenarios.delete": C,
    "what_would_help.index": C,
    "what_would_help.try_it": C,
    "operations.jobs_index": C,
    "operations.jobs_update": C,
    "operations.jobs_run_now": C,
    "audit.index": T | C,
    "audit.download": T | C,
}
ROLES = ("anonymous", "team_lead", "specialist", "coordinator")


def _rules() -> list[Rule]:
    app = make_app("sqlite://")
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    close_app(app)
    return rules


RULES = _rules()


def _url(rule: Rule, **values: Any) -> str:
    args = {name: values.get(name, 1) for name in rule.arguments}
    if "token" in rule.arguments:
        args["token"] = values.get("token", "no-such-token")
    path = rule.rule
    for name, value in args.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return path


def _methods(rule: Rule) -> list[str]:
    return sorted(m for m in (rule.methods or ()) if m in ("GET", "POST"))


def _user(world: World, role: str):  # type: ignore[no-untyped-def]
    return {"anonymous": None, "team_lead": world.lead_a, "specialist": world.spec_a,
            "coordinator": world.coordinator}[role]


def test_every_route_is_in_the_authorisation_table(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), f"add new routes to ROUTES: {sorted(endpoints ^ set(ROUTES))}"


def test_the_table_matches_the_role_checks_on_the_views(app: Flask) -> None:
    for endpoint, allowed in ROUTES.items():
        declared = getattr(app.view_functions[endpoint], "allowed_roles", None)
        if allowed == PUBLIC:
            assert declared is None, endpoint
        else:
            assert set(declared or ()) == allowed, endpoint


FORBIDDEN = [
    pytest.param(rule, method, role, id=f"{method} {rule.rule} as {role}")
    for rule in RULES for method in _methods(rule) for role in ROLES if role not in ROUTES[rule.endpoint]
]


@pytest.mark.parametrize(("rule", "method", "role"), FORBIDDEN)
def test_a_role_that_may_not_reach_a_route_is_refused(client: FlaskClient, world: World, rule: Rule, method: str,
                                                      role: str) -> None:
    log_in(client, _user(world, role))
    for headers in ({}, HTMX):
        response = client.open(_url(rule), method=method, headers=headers)
        if role == "anonymous":
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/login")
        else:
            assert response.status_code == 403


OWN_OBJECT_ROUTES = [r for r in RULES if "request_id" in r.arguments]


@pytest.mark.parametrize("rule", OWN_OBJECT_ROUTES, ids=lambda r: r.rule)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_another_municipality_s_request_does_not_exist_for_a_team_lead(
    client: FlaskClient, world: World, rule: Rule, htmx: bool
) -> None:
    log_in(client, world.lead_a)
    for method in _methods(rule):
        response = client.open(_url(rule, request_id=world.request_b.id), method=method,
                               headers=HTMX if htmx else {}, data={"reason": "x"})
        # The coordinator-only routes refuse the role before they look at the object.
        expected = 404 if "team_lead" in ROUTES[rule.endpoint] else 403
        assert response.status_code == expected, (method, rule.rule)


def test_a_team_lead_reaches_its_own_request(client: FlaskClient, world: World) -> None:
    log_in(client, world.lead_a)
    assert client.get(f"/requests/{world.request_a.id}").status_code == 200
    assert client.get(f"/requests/{world.request_a.id}/edit").status_code in (200, 422)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_another_specialist_s_leave_and_skills_do_not_exist_for_a_specialist(
    client: FlaskClient, world: World, htmx: bool
) -> None:
    log_in(client, world.spec_a)
    headers = HTMX if htmx else {}
    assert client.post(f"/me/leave/{world.leave_b.id}/delete", headers=headers).status_code == 404
    held_by_b_only = next(s.skill_id for s in world.spec_b.specialist.skills  # type: ignore[union-attr]
                          if s.skill_id not in {x.skill_id for x in world.spec_a.specialist.skills})  # type: ignore[union-attr]
    assert client.get(f"/me/skills/{held_by_b_only}/edit", headers=headers).status_code == 404
    assert client.get(f"/me/skills/{held_by_b_only}/row", headers=headers).status_code == 404


def test_a_team_lead_does_not_see_another_municipality_s_requests_in_its_list(client: FlaskClient,
                                                                             world: World) -> None:
    log_in(client, world.lead_a)
    page = client.get("/requests/?q=").get_data(as_text=True)
    assert world.request_a.code in page and world.request_b.code not in page
    rows = client.get(f"/requests/?q={world.request_b.code}", headers=HTMX | {"HX-Target": "request-list"})
    assert world.request_b.code not in rows.get_data(as_text=True)


PLAN_ROUTES = [r for r in RULES if "plan_id" in r.arguments]


@pytest.mark.parametrize("rule", PLAN_ROUTES, ids=lambda r: r.rule)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_plan_that_does_not_exist_is_not_found(client: FlaskClient, world: World, rule: Rule, htmx: bool) -> None:
    log_in(client, world.coordinator)
    for method in _methods(rule):
        ids = {"plan_id": 999999, "request_id": world.request_a.id}
        response = client.open(_url(rule, **ids), method=method, headers=HTMX if htmx else {}, data={"reason": "x"})
        assert response.status_code == 404, (method, rule.rule)


def test_a_request_that_does_not_exist_is_not_found_in_a_plan(client: FlaskClient, world: World,
                                                              session: Session) -> None:
    log_in(client, world.coordinator)
    plan_id = _published_plan_id(session)
    assert client.get(f"/plans/{plan_id}/requests/{world.request_a.id}").status_code == 200
    assert client.get(f"/plans/{plan_id}/requests/999999").status_code == 404


def test_unknown_plans_in_a_comparison_are_not_found(client: FlaskClient, world: World, session: Session) -> None:
    log_in(client, world.coordinator)
    assert client.get(f"/plans/compare?a={_published_plan_id(session)}&b=999999").status_code == 404


def _published_plan_id(session: Session) -> int:
    return session.scalars(select(Plan.id).where(Plan.status == "published")).one()


def test_an_unknown_calendar_token_is_not_found(client: FlaskClient, world: World) -> None:
    assert client.get("/calendar/not-a-token.ics").status_code == 404


POST_RULES = [r for r in RULES if "POST" in (r.methods or ())]


@pytest.fixture
def csrf_client(engine: Engine, database_url: str, world: World):  # type: ignore[no-untyped-def]
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    yield app.test_client()
    close_app(app)


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: r.rule)
def test_a_post_without_a_csrf_token_is_refused(csrf_client: FlaskClient, world: World, rule: Rule) -> None:
    allowed = ROUTES[rule.endpoint] - {"anonymous"}
    role = next(r for r in ("coordinator", "team_lead", "specialist") if r in allowed)
    log_in(csrf_client, _user(world, role))
    ids = {"request_id": world.request_a.id}
    for headers in ({}, HTMX):
        response = csrf_client.post(_url(rule, **ids), headers=headers, data={"reason": "x", "lang": "en"})
        assert response.status_code == 400, rule.rule


def test_a_post_with_the_csrf_token_in_the_htmx_header_passes(csrf_client: FlaskClient, world: World) -> None:
    log_in(csrf_client, world.lead_a)
    page = csrf_client.get("/requests/").get_data(as_text=True)
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    response = csrf_client.post("/requests/need-row?index=2", headers=HTMX | {"X-CSRFToken": token})
    assert response.status_code == 200
    assert 'name="needs-2-skill_id"' in response.get_data(as_text=True)
