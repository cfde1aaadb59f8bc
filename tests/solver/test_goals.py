"""Each goal of the planning policy binds on a tiny instance."""

from __future__ import annotations

from solver.instance import Assignment, Partner
from tests.solver.conftest import hours_of, instance, plan, req, spec


def test_scarce_hours_go_to_the_higher_priority_request() -> None:
    inst = instance(
        [spec("A", {"net": 3}, hours=8)],
        [
            req("LOW", [("net", 1, 8)], start=0, end=0, priority=4),
            req("HIGH", [("net", 1, 8)], start=0, end=0, priority=1),
        ],
    )
    result = plan(inst)
    assert hours_of(result, request="HIGH") == 8
    assert result.unmet[0].reason == "capacity-taken"
    assert "HIGH" in result.unmet[0].detail
    facts = result.unmet[0].facts
    assert facts["takers"] == [{"request": "HIGH", "priority": 1, "hours": 8}]
    assert facts["specialists"] == ["A"] and facts["priority"] == 4 and facts["hours"] == 8


def test_internal_specialists_are_used_before_the_paid_partner() -> None:
    inst = instance(
        [spec("P", {"net": 5}, kind="partner", cost=150), spec("A", {"net": 3})],
        [req("R", [("net", 1, 16)], allow_partner=True)],
        partner=Partner("KP", 100, 0),
    )
    result = plan(inst)
    assert hours_of(result, "A") == 16
    assert result.kpis["partner_cost"] == 0


def test_the_cheaper_partner_consultant_is_preferred() -> None:
    inst = instance(
        [spec("P1", {"net": 5}, kind="partner", cost=150), spec("P2", {"net": 5}, kind="partner", cost=90)],
        [req("R", [("net", 1, 16)], allow_partner=True)],
        partner=Partner("KP", 100, 0),
    )
    assert hours_of(plan(inst), "P2") == 16


def test_scarce_hours_are_shared_fairly_between_municipalities() -> None:
    inst = instance(
        [spec("A", {"net": 3}, hours=16)],
        [
            req("RA", [("net", 1, 16)], start=0, end=0, town="A"),
            req("RB", [("net", 1, 16)], start=0, end=0, town="B"),
        ],
    )
    result = plan(inst, weights=__import__("solver").Weights(home_municipality=0))
    assert hours_of(result, request="RA") == 8
    assert hours_of(result, request="RB") == 8
    assert result.kpis["min_municipality_fill"] == 0.5


def test_one_person_carries_a_need_across_its_weeks() -> None:
    inst = instance(
        [spec("A", {"net": 3}, hours=16), spec("B", {"net": 3}, hours=16)],
        [req("R", [("net", 1, 32)], start=0, end=1, maxpw=16)],
    )
    result = plan(inst)
    assert len({a.specialist for a in result.assignments}) == 1
    assert result.kpis["specialists_per_need"] == 1.0


def test_a_replan_keeps_the_previous_specialist_when_nothing_forces_a_change() -> None:
    before = (Assignment("R", 0, "B", 1, 8), Assignment("R", 0, "B", 2, 8))
    inst = instance(
        [spec("A", {"net": 3}), spec("B", {"net": 3})],
        [req("R", [("net", 1, 16)], start=1, end=2)],
        previous=before,
    )
    result = plan(inst)
    assert set(result.assignments) == set(before)
    assert result.kpis["changed_vs_previous"] == 0


def test_a_municipality_s_own_specialist_is_preferred() -> None:
    inst = instance(
        [spec("X", {"net": 3}, home="B"), spec("Y", {"net": 3}, home="A")],
        [req("R", [("net", 1, 16)], town="A")],
    )
    assert hours_of(plan(inst), "Y") == 16


def test_no_senior_is_spent_on_junior_work() -> None:
    inst = instance(
        [spec("SENIOR", {"net": 5}, home="A"), spec("JUNIOR", {"net": 2}, home="A")],
        [req("R", [("net", 2, 16)])],
    )
    assert hours_of(plan(inst), "JUNIOR") == 16


def test_no_weight_on_a_later_goal_buys_fill_away() -> None:
    # filling the need needs both people in its one week; one person would do for continuity
    inst = instance(
        [spec("A", {"net": 3}, hours=8), spec("B", {"net": 3}, hours=8)],
        [req("R", [("net", 1, 16)], start=0, end=0)],
    )
    heavy = __import__("solver").Weights(continuity=10**6, home_municipality=10**4)
    result = plan(inst, weights=heavy)
    assert hours_of(result, request="R") == 16
    assert result.kpis["specialists_per_need"] == 2.0


def test_at_equal_fill_the_plan_uses_fewer_specialists_per_need() -> None:
    # 16 hours over two weeks: A alone can carry them, or A and B half each; the fill is the same
    inst = instance(
        [spec("A", {"net": 3}, hours=8), spec("B", {"net": 3}, hours=8)],
        [req("R", [("net", 1, 16)], start=0, end=1, maxpw=8)],
    )
    result = plan(inst, reproducible=True)
    assert hours_of(result, request="R") == 16
    assert result.kpis["specialists_per_need"] == 1.0


def test_the_baseline_is_the_best_greedy_order_and_the_planner_fills_at_least_as_much() -> None:
    # asking the person already on the request first leaves B's database skill unused; asking whoever has
    # the most free hours puts the second need on A and leaves B free for the database request
    inst = instance(
        [spec("A", {"net": 3}, hours=8, off={1: 8}), spec("B", {"net": 3, "db": 3}, hours=16, off={1: 16})],
        [
            req("R", [("net", 1, 8), ("net", 1, 8)], start=0, end=0, priority=2),
            req("Z", [("db", 1, 8)], start=0, end=0, priority=2),
        ],
        weeks=2,
    )
    base = __import__("solver").greedy(inst)
    fills = base.solver["greedy_fills"]
    assert fills["most-free-hours"] > fills["same-person"]
    assert base.solver["greedy_order"] == "most-free-hours"
    assert base.kpis["weighted_fill"] == fills["most-free-hours"]
    assert plan(inst).kpis["weighted_fill"] >= fills["most-free-hours"] == 24 * 300
