"""The fairness repair trades hours between equal-weight requests towards the worst-served municipality."""

from __future__ import annotations

import copy
from collections import defaultdict

import pytest

import solver
from solver.fair_repair import fair_repair
from solver.instance import Assignment, Instance, Partner
from solver.model import XKey
from solver.prepared import prepare
from tests.solver.conftest import instance, req, spec


def every_key(inst: Instance) -> set[XKey]:
    """The keys the model would have a variable for: every eligible (need, specialist, week)."""
    prep = prepare(inst)
    return {(key, sid, w) for (key, sid), weeks in prep.eligible_weeks.items() for w in weeks}


def assignments(inst: Instance, hours: dict[XKey, int]) -> list[Assignment]:
    """The whole plan: the pinned assignments and the planned hours."""
    planned = [Assignment(rid, i, sid, w, h) for ((rid, i), sid, w), h in hours.items() if h > 0]
    return [*(a for a in inst.previous_plan if a.pinned), *planned]


def repair(
    inst: Instance,
    hours: dict[XKey, int],
    allowed: set[XKey] | None = None,
    fillable: dict[str, float] | None = None,
    max_moves: int = 2000,
) -> dict[XKey, int]:
    """Repair a valid plan and assert the independent validator accepts the result."""
    assert solver.validate(inst, assignments(inst, hours)) == []
    repaired = fair_repair(
        prepare(inst),
        hours,
        solver.fillable_by_municipality(inst) if fillable is None else fillable,
        every_key(inst) if allowed is None else allowed,
        max_moves=max_moves,
    )
    assert solver.validate(inst, assignments(inst, repaired)) == []
    return repaired


def weighted_fill(inst: Instance, hours: dict[XKey, int]) -> int:
    weights = {r.id: r.weight for r in inst.requests}
    return sum(h * weights[rid] for ((rid, _i), _sid, _w), h in hours.items())


def ratios(inst: Instance, hours: dict[XKey, int]) -> dict[str, float]:
    """Each municipality's hours, pinned ones included, over its fillable demand."""
    town = {r.id: r.municipality for r in inst.requests}
    got: dict[str, int] = defaultdict(int)
    for a in assignments(inst, hours):
        got[town[a.request]] += a.hours
    return {m: got[m] / f for m, f in solver.fillable_by_municipality(inst).items() if f > 0}


def request_hours(hours: dict[XKey, int], rid: str) -> int:
    return sum(h for ((r, _i), _sid, _w), h in hours.items() if r == rid)


def person_week_hours(hours: dict[XKey, int]) -> dict[tuple[str, int], int]:
    total: dict[tuple[str, int], int] = defaultdict(int)
    for (_key, sid, w), h in hours.items():
        total[sid, w] += h
    return dict(total)


def two_towns(priority_b: int = 3, aon_a: bool = False, aon_b: bool = False) -> Instance:
    """One specialist with ten hours in one week; A's and B's requests each ask for ten."""
    return instance(
        [spec("S", {"net": 3}, hours=10)],
        [
            req("RA", [("net", 1, 10)], start=0, end=0, town="A", aon=aon_a),
            req("RB", [("net", 1, 10)], start=0, end=0, town="B", priority=priority_b, aon=aon_b),
        ],
        weeks=1,
    )


ALL_ON_A: dict[XKey, int] = {(("RA", 0), "S", 0): 10}


def test_hours_move_from_the_better_served_municipality_to_the_worst_served_one() -> None:
    inst = two_towns()
    assert solver.fillable_by_municipality(inst) == {"A": 10, "B": 10}
    repaired = repair(inst, ALL_ON_A)
    assert request_hours(repaired, "RB") > 0
    assert request_hours(repaired, "RA") + request_hours(repaired, "RB") == 10
    assert min(ratios(inst, repaired).values()) > min(ratios(inst, ALL_ON_A).values())
    assert ratios(inst, repaired) == {"A": 0.5, "B": 0.5}


def test_the_first_move_goes_to_the_worst_served_municipality_not_merely_a_worse_one() -> None:
    inst = instance(
        [spec("S", {"net": 3}, hours=20)],
        [req(r, [("net", 1, 10)], start=0, end=0, town=t) for r, t in (("RA", "A"), ("RB", "B"), ("RC", "C"))],
        weeks=1,
    )
    hours: dict[XKey, int] = {(("RA", 0), "S", 0): 10, (("RB", 0), "S", 0): 5}
    repaired = repair(inst, hours, max_moves=1)
    assert request_hours(repaired, "RB") == 5
    assert request_hours(repaired, "RC") > 0
    assert request_hours(repaired, "RA") == 10 - request_hours(repaired, "RC")
    after = ratios(inst, repaired)
    assert after["A"] >= after["C"]


def test_pinned_hours_count_towards_a_municipality_being_better_served() -> None:
    # B has 6 pinned hours against A's 4 planned ones, so A is the worst served and B must not take from it
    inst = instance(
        [spec("S", {"net": 3}, hours=10)],
        [
            req("RA", [("net", 1, 10)], start=0, end=1, town="A"),
            req("RB", [("net", 1, 10)], start=0, end=1, town="B"),
        ],
        weeks=2,
        previous=(Assignment("RB", 0, "S", 0, 6, pinned=True),),
    )
    hours: dict[XKey, int] = {(("RA", 0), "S", 1): 4}
    assert repair(inst, hours) == hours


def test_weighted_fill_capacity_weekly_maximum_need_hours_and_partner_budget_hold_after_the_repair() -> None:
    # B's request already has 2 pinned partner hours in week 0, so only 4 hours of its need and 2 of week 0's
    # maximum are left; B's database request, which nobody works on, keeps B the worst served throughout.
    inst = instance(
        [
            spec("S", {"net": 3}, hours=10),
            spec("P", {"net": 5}, hours=10, kind="partner", cost=100, off={1: 10}),
            spec("D", {"db": 3}, hours=10),
        ],
        [
            req("RA", [("net", 1, 40)], start=0, end=1, maxpw=20, town="A", allow_partner=True),
            req("RB", [("net", 1, 6)], start=0, end=1, maxpw=4, town="B", allow_partner=True),
            req("RC", [("db", 1, 20)], start=0, end=1, maxpw=10, town="B"),
        ],
        weeks=2,
        partner=Partner("KP", budget_hours=10, min_notice_weeks=0),
        previous=(Assignment("RB", 0, "P", 0, 2, pinned=True),),
    )
    hours: dict[XKey, int] = {(("RA", 0), "S", 0): 10, (("RA", 0), "S", 1): 10, (("RA", 0), "P", 0): 8}
    repaired = repair(inst, hours)
    assert weighted_fill(inst, repaired) == weighted_fill(inst, hours)
    assert person_week_hours(repaired) == person_week_hours(hours)
    assert request_hours(repaired, "RB") == 4  # the need's open hours bind
    assert repaired.get((("RB", 0), "S", 0), 0) == 2  # week 0's maximum binds
    assert sum(a.hours for a in assignments(inst, repaired) if a.specialist == "P") == 10
    assert min(ratios(inst, repaired).values()) > min(ratios(inst, hours).values())


@pytest.mark.parametrize("priority_b", [1, 2, 4])
def test_no_hours_move_between_requests_of_different_priority(priority_b: int) -> None:
    assert repair(two_towns(priority_b=priority_b), ALL_ON_A) == ALL_ON_A


def test_hours_pass_over_a_request_of_other_priority_to_one_of_equal_priority_in_the_same_municipality() -> None:
    inst = instance(
        [spec("S", {"net": 3}, hours=10)],
        [
            req("RA", [("net", 1, 10)], start=0, end=0, town="A"),
            req("RB1", [("net", 1, 10)], start=0, end=0, town="B", priority=2),
            req("RB2", [("net", 1, 2)], start=0, end=0, town="B"),
        ],
        weeks=1,
    )
    repaired = repair(inst, ALL_ON_A)
    assert request_hours(repaired, "RB1") == 0
    assert request_hours(repaired, "RB2") == 2
    assert weighted_fill(inst, repaired) == weighted_fill(inst, ALL_ON_A)


@pytest.mark.parametrize(("aon_a", "aon_b"), [(True, False), (False, True)], ids=["donor", "receiver"])
def test_all_or_nothing_requests_are_left_alone(aon_a: bool, aon_b: bool) -> None:
    assert repair(two_towns(aon_a=aon_a, aon_b=aon_b), ALL_ON_A) == ALL_ON_A


def test_only_keys_in_allowed_are_used() -> None:
    inst = instance(
        [spec("S1", {"net": 3}, hours=5), spec("S2", {"net": 3}, hours=5)],
        [
            req("RA", [("net", 1, 10)], start=0, end=0, town="A"),
            req("RB", [("net", 1, 10)], start=0, end=0, town="B"),
        ],
        weeks=1,
    )
    hours: dict[XKey, int] = {(("RA", 0), "S1", 0): 5, (("RA", 0), "S2", 0): 5}
    allowed = every_key(inst) - {(("RB", 0), "S1", 0)}
    repaired = repair(inst, hours, allowed=allowed)
    assert set(repaired) <= allowed
    assert repaired == {(("RA", 0), "S1", 0): 5, (("RB", 0), "S2", 0): 5}


def test_nothing_moves_when_no_allowed_key_belongs_to_the_worst_served_municipality() -> None:
    inst = two_towns()
    assert repair(inst, ALL_ON_A, allowed=every_key(inst) - {(("RB", 0), "S", 0)}) == ALL_ON_A


def test_the_input_plan_is_not_modified() -> None:
    hours = dict(ALL_ON_A)
    kept = copy.deepcopy(hours)
    repaired = repair(two_towns(), hours)
    assert repaired != kept  # something moved, so the plan had every chance to be touched
    assert hours == kept


@pytest.mark.parametrize(
    ("town_b", "skill_b"), [("A", "net"), ("B", "db")], ids=["one municipality", "nobody can fill the second"]
)
def test_with_fewer_than_two_municipalities_with_fillable_demand_the_plan_comes_back_unchanged(
    town_b: str, skill_b: str
) -> None:
    inst = instance(
        [spec("S", {"net": 3}, hours=10)],
        [
            req("RA", [("net", 1, 10)], start=0, end=0, town="A"),
            req("RB", [(skill_b, 1, 10)], start=0, end=0, town=town_b),
        ],
        weeks=1,
    )
    assert len([m for m, f in solver.fillable_by_municipality(inst).items() if f > 0]) == 1
    repaired = repair(inst, ALL_ON_A)
    assert repaired == ALL_ON_A
    assert repaired is not ALL_ON_A


@pytest.mark.parametrize("fillable", [{}, {"A": 10.0}, {"A": 10.0, "B": 0.0}], ids=["none", "only A", "B zero"])
def test_a_municipality_without_fillable_demand_receives_nothing(fillable: dict[str, float]) -> None:
    assert repair(two_towns(), ALL_ON_A, fillable=fillable) == ALL_ON_A
