"""Each hard rule of the planning policy binds on a tiny instance."""

from __future__ import annotations

from solver.instance import Assignment, Partner
from tests.solver.conftest import hours_of, instance, plan, req, spec


def test_a_specialist_below_the_minimum_level_is_never_assigned() -> None:
    inst = instance([spec("J", {"net": 2}), spec("S", {"net": 3}, hours=4)], [req("R", [("net", 3, 16)])])
    result = plan(inst)
    assert hours_of(result, "J") == 0
    assert hours_of(result, "S") == 16


def test_a_need_nobody_qualifies_for_is_unmet_with_no_eligible_specialist() -> None:
    result = plan(instance([spec("J", {"net": 2})], [req("R", [("net", 3, 8)])]))
    assert [u.reason for u in result.unmet] == ["no-eligible-specialist"]


def test_hours_fall_only_in_weeks_inside_the_request_window() -> None:
    inst = instance([spec("A", {"net": 3}, hours=8)], [req("R", [("net", 1, 40)], start=1, end=2)])
    result = plan(inst)
    assert {a.week for a in result.assignments} == {1, 2}
    assert hours_of(result) == 16


def test_a_specialist_works_no_more_than_pool_hours_minus_unavailability() -> None:
    inst = instance([spec("A", {"net": 3}, hours=16, off={0: 10})], [req("R", [("net", 1, 40)], start=0, end=0)])
    assert hours_of(plan(inst)) == 6


def test_the_weekly_maximum_bounds_all_needs_of_a_request_together() -> None:
    inst = instance(
        [spec("A", {"net": 3}), spec("B", {"db": 3})],
        [req("R", [("net", 1, 16), ("db", 1, 16)], start=0, end=0, maxpw=20)],
    )
    result = plan(inst)
    assert hours_of(result) == 20
    assert [u.reason for u in result.unmet] == ["window-too-short"] * (len(result.unmet))


def test_the_partner_works_only_where_the_request_allows_it() -> None:
    inst = instance(
        [spec("P", {"net": 5}, kind="partner", cost=100)],
        [req("R", [("net", 1, 8)], allow_partner=False)],
        partner=Partner("KP", 100, 0),
    )
    assert hours_of(plan(inst)) == 0


def test_the_partner_starts_only_after_its_notice_period() -> None:
    inst = instance(
        [spec("P", {"net": 5}, kind="partner", cost=100)],
        [req("R", [("net", 1, 40)], allow_partner=True)],
        partner=Partner("KP", 100, 2),
    )
    result = plan(inst)
    assert {a.week for a in result.assignments} == {2, 3}


def test_partner_hours_stay_within_the_budget_and_the_rest_is_explained() -> None:
    inst = instance(
        [spec("P", {"net": 5}, kind="partner", cost=100, hours=40)],
        [req("R", [("net", 1, 40)], allow_partner=True)],
        partner=Partner("KP", 12, 0),
    )
    result = plan(inst)
    assert hours_of(result) == 12
    assert result.unmet[0].reason == "partner-budget-exhausted"


def test_an_all_or_nothing_request_that_cannot_be_completed_gets_nothing() -> None:
    inst = instance(
        [spec("A", {"net": 3}, hours=4)],
        [req("R", [("net", 1, 8), ("net", 1, 40)], start=0, end=1, aon=True)],
    )
    result = plan(inst)
    assert hours_of(result) == 0
    assert {u.reason for u in result.unmet} == {"all-or-nothing-not-reachable"}


def test_pinned_assignments_stay_exactly_as_they_are_and_use_capacity() -> None:
    pinned = Assignment("R1", 0, "A", 0, 10, pinned=True)
    inst = instance(
        [spec("A", {"net": 3}, hours=16)],
        [req("R1", [("net", 1, 10)], priority=4), req("R2", [("net", 1, 16)], start=0, end=0, priority=1)],
        previous=(pinned,),
    )
    result = plan(inst)
    assert pinned in result.assignments
    assert hours_of(result, request="R2") == 6


def test_the_frozen_weeks_keep_the_previous_plan_and_take_nothing_new() -> None:
    before = (Assignment("R1", 0, "A", 0, 8),)
    inst = instance(
        [spec("A", {"net": 3}, hours=16), spec("B", {"net": 3}, hours=16)],
        [req("R1", [("net", 1, 8)], priority=4), req("R2", [("net", 1, 64)], priority=1)],
        previous=before,
    )
    result = plan(inst, frozen_weeks=2)
    assert before[0] in result.assignments
    new_in_frozen = [a for a in result.assignments if a.week < 2 and a not in before]
    assert new_in_frozen == []
