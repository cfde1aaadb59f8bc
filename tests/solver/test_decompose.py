"""Decomposition into independent parts, and planning them in a process pool."""

from __future__ import annotations

import threading

import pytest

import solver
import solver.parallel
from solver import planner
from solver.decompose import split
from solver.instance import Assignment, Instance, Partner
from solver.lp_bound import fillable_by_municipality
from solver.prepared import prepare
from tests.solver.conftest import instance, req, spec

PARTNER = Partner("Partner BV", budget_hours=40, min_notice_weeks=1)


def two_regions() -> Instance:
    """X work for a and c in town A, Y work for b in town B; more demand than hours in both."""
    return instance(
        [spec("a", {"X": 3}, hours=16), spec("b", {"Y": 3}, hours=10, home="B"), spec("c", {"X": 2}, hours=8)],
        [
            req("r1", [("X", 2, 40)], priority=1),
            req("r2", [("X", 2, 80)], priority=3),
            req("r3", [("Y", 2, 30)], town="B"),
            req("r4", [("Y", 1, 20)], town="B", priority=2, aon=True),
        ],
    )


def ids(part: Instance) -> tuple[list[str], list[str]]:
    return [r.id for r in part.requests], [s.id for s in part.specialists]


@pytest.fixture
def pool_for_every_part(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send even tiny parts to the process pool, which would otherwise solve them in this process."""
    monkeypatch.setattr(solver.parallel, "TINY_PART", 0)


def test_two_regions_with_different_skills_split_into_two_parts_holding_every_request_once() -> None:
    parts = split(two_regions())
    assert [ids(p) for p in parts] == [(["r1", "r2"], ["a", "c"]), (["r3", "r4"], ["b"])]


def test_the_same_skill_in_disjoint_weeks_splits_into_two_parts() -> None:
    inst = instance(
        [spec("early", {"X": 3}, off={2: 16, 3: 16}), spec("late", {"X": 3}, off={0: 16, 1: 16})],
        [req("first", [("X", 1, 20)], start=0, end=1), req("second", [("X", 1, 20)], start=2, end=3)],
    )
    assert [ids(p) for p in split(inst)] == [(["first"], ["early"]), (["second"], ["late"])]


def test_frozen_weeks_separate_what_could_only_meet_inside_them() -> None:
    inst = instance(
        [spec("a", {"X": 3}), spec("b", {"X": 3}, off={2: 16, 3: 16})],
        [req("old", [("X", 1, 20)], start=0, end=1), req("new", [("X", 1, 20)], start=2, end=3)],
    )
    assert len(split(inst)) == 1
    assert [ids(p) for p in split(inst, frozen_weeks=2)] == [(["new"], ["a"]), (["old"], [])]


def test_requests_that_may_use_the_partner_end_up_in_one_part_with_the_contract() -> None:
    inst = instance(
        [
            spec("a", {"X": 3}),
            spec("b", {"Y": 3}),
            spec("px", {"X": 4}, kind="partner", cost=120),
            spec("py", {"Y": 4}, kind="partner", cost=120),
            spec("z", {"Z": 3}),
        ],
        [
            req("rx", [("X", 4, 30)], allow_partner=True),
            req("ry", [("Y", 4, 30)], allow_partner=True),
            req("rz", [("Z", 1, 10)], allow_partner=True),
        ],
        partner=PARTNER,
    )
    parts = split(inst)
    assert [ids(p) for p in parts] == [(["rx", "ry"], ["px", "py"]), (["rz"], ["z"])]
    assert parts[0].partner == PARTNER
    assert parts[1].partner is None


def test_a_pinned_assignment_keeps_its_request_and_specialist_together() -> None:
    # b no longer has the level the request asks, but the pinned hours stay on b's capacity
    pinned = Assignment("r1", 0, "b", 1, 8, pinned=True)
    inst = instance(
        [spec("a", {"X": 3}), spec("b", {"X": 1, "Y": 3})],
        [req("r1", [("X", 2, 20)]), req("r2", [("Y", 2, 20)])],
        previous=(pinned,),
    )
    parts = split(inst)
    assert [ids(p) for p in parts] == [(["r1", "r2"], ["a", "b"])]
    assert parts[0].previous_plan == (pinned,)


def test_requests_nobody_can_work_on_form_one_last_group_and_idle_specialists_join_no_part() -> None:
    inst = instance(
        [spec("a", {"X": 3}), spec("idle", {"Q": 3})],
        [req("lost1", [("Z", 1, 10)]), req("r", [("X", 1, 10)]), req("lost2", [("X", 5, 10)], town="B")],
    )
    parts = split(inst)
    assert [ids(p) for p in parts] == [(["r"], ["a"]), (["lost1", "lost2"], [])]


def test_every_part_sees_the_same_eligibility_capacity_and_partner_budget_as_the_whole() -> None:
    previous = (
        Assignment("r1", 0, "a", 0, 8, pinned=True),
        Assignment("r3", 0, "px", 2, 6),
        Assignment("r3", 0, "b", 0, 4),
    )
    inst = instance(
        [
            spec("a", {"X": 3}),
            spec("b", {"Y": 3}, off={1: 6}),
            spec("px", {"Y": 4}, kind="partner", cost=100),
            spec("c", {"X": 2, "Z": 3}),
        ],
        [
            req("r1", [("X", 2, 30), ("Z", 1, 10)], aon=True),
            req("r2", [("Z", 2, 20)], start=2, end=3, maxpw=6),
            req("r3", [("Y", 3, 30)], allow_partner=True, town="B"),
        ],
        partner=PARTNER,
        previous=previous,
    )
    whole = prepare(inst, frozen_weeks=1)
    parts = split(inst, frozen_weeks=1)
    assert len(parts) == 2
    assert sorted(r.id for p in parts for r in p.requests) == ["r1", "r2", "r3"]
    assert sorted(previous, key=str) == sorted((a for p in parts for a in p.previous_plan), key=str)
    for part in parts:
        prep = prepare(part, frozen_weeks=1)
        mine = {r.id for r in part.requests}
        assert prep.eligible_weeks == {k: w for k, w in whole.eligible_weeks.items() if k[0][0] in mine}
        assert prep.fixed == [a for a in whole.fixed if a.request in mine]
        assert prep.free_capacity == {k: h for k, h in whole.free_capacity.items() if k[0] in prep.specialists}
        if part.partner is not None:
            assert prep.partner_budget_left == whole.partner_budget_left


def test_the_pool_plans_two_parts_validly_with_the_fill_of_the_single_planner(pool_for_every_part: None) -> None:
    inst = two_regions()
    seen: list[solver.Progress] = []
    # reproducible: deterministic limits, so a busy machine (slow to start the pool's processes) changes nothing
    config = solver.PlanningConfig(time_limit=2.0, reproducible=True)
    merged = solver.solve(inst, config, on_progress=seen.append)
    whole = planner.solve(inst, config)
    assert solver.validate(inst, merged.assignments) == []
    assert merged.solver["parts"] == 2
    assert [p["requests"] for p in merged.solver["part_list"]] == [2, 2]
    assert merged.solver["fill_status"] == whole.solver["fill_status"] == "OPTIMAL"
    assert merged.kpis["weighted_fill"] == whole.kpis["weighted_fill"] == merged.solver["objective"]
    assert merged.solver["bound"] == merged.solver["objective"]
    assert merged.extra["fillable"] == fillable_by_municipality(inst)
    assert {(u.request, u.need) for u in merged.unmet} == {(u.request, u.need) for u in whole.unmet}
    assert [p.step for p in seen].count("part") == 2
    assert seen[-1].step == "part"
    assert seen[-1].weighted_fill == merged.kpis["weighted_fill"]


def test_tiny_parts_are_planned_in_this_process_with_the_same_fill() -> None:
    inst = two_regions()
    merged = solver.solve(inst, solver.PlanningConfig(time_limit=2.0))
    assert solver.validate(inst, merged.assignments) == []
    assert merged.solver["parts"] == 2
    assert (
        merged.kpis["weighted_fill"] == planner.solve(inst, solver.PlanningConfig(time_limit=2.0)).kpis["weighted_fill"]
    )


def test_a_stop_set_before_the_start_still_returns_a_valid_plan(pool_for_every_part: None) -> None:
    inst = two_regions()
    # a pinned assignment and frozen weeks: fillable demand then comes from the whole, not from the parts
    pinned = Assignment("r1", 0, "a", 0, 10, pinned=True)
    inst = instance(list(inst.specialists), list(inst.requests), previous=(pinned,))
    stop = threading.Event()
    stop.set()
    result = solver.solve(inst, solver.PlanningConfig(time_limit=2.0, frozen_weeks=1), stop=stop)
    assert result.solver["parts"] == 2
    assert result.solver["stopped_early"] is True
    assert solver.validate(inst, result.assignments, frozen_weeks=1) == []
    assert pinned in result.assignments
    assert result.extra["fillable"] == fillable_by_municipality(inst)


def test_one_part_gives_the_same_plan_as_the_planner_in_reproducible_mode() -> None:
    inst = instance(
        [spec("a", {"X": 3, "Y": 2}), spec("b", {"Y": 3}), spec("c", {"X": 2})],
        [req("r1", [("X", 2, 40)], priority=1), req("r2", [("X", 2, 30), ("Y", 2, 20)]), req("r3", [("Y", 3, 40)])],
    )
    config = solver.PlanningConfig(time_limit=1.0, reproducible=True)
    result = solver.solve(inst, config)
    assert result.solver["parts"] == 1
    assert solver.validate(inst, result.assignments) == []
    assert result.assignments == planner.solve(inst, config).assignments
