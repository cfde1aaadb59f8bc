"""The worst-served municipality's all-or-nothing request is served by displacing no-heavier hours; the fairness LP."""

from __future__ import annotations

import copy
import math
from collections import defaultdict
from collections.abc import Mapping

import pytest

import solver
from solver.fair_insert import fair_insert
from solver.greedy import greedy_assignments
from solver.instance import Assignment, Instance, Partner
from solver.lp_bound import fairness_bound, solve_fill_lp
from solver.model import XKey
from solver.prepared import Prepared, prepare
from tests.solver.conftest import instance, req, spec


def every_key(prep: Prepared) -> set[XKey]:
    """The keys the model would have a variable for: every eligible (need, specialist, week)."""
    return {(key, sid, w) for (key, sid), weeks in prep.eligible_weeks.items() for w in weeks}


def whole(prep: Prepared, hours: Mapping[XKey, float]) -> list[Assignment]:
    """The fixed assignments and the planned hours, rounded down."""
    planned = [Assignment(rid, i, sid, w, math.floor(h + 1e-6)) for ((rid, i), sid, w), h in sorted(hours.items())]
    return [*prep.fixed, *(a for a in planned if a.hours > 0)]


def weighted_fill(prep: Prepared, hours: Mapping[XKey, float]) -> float:
    return sum(h * prep.requests[rid].weight for ((rid, _i), _sid, _w), h in hours.items())


def ratios(prep: Prepared, hours: Mapping[XKey, int], fillable: dict[str, float]) -> dict[str, float]:
    """Each municipality's hours, fixed ones included, over its fillable demand."""
    got: dict[str, int] = defaultdict(int)
    for a in whole(prep, hours):
        got[prep.requests[a.request].municipality] += a.hours
    return {m: got[m] / f for m, f in fillable.items() if round(f) >= 1}


def request_hours(hours: Mapping[XKey, float], rid: str) -> float:
    return sum(h for ((r, _i), _sid, _w), h in hours.items() if r == rid)


def insert(
    inst: Instance, hours: dict[XKey, int], frozen_weeks: int = 0, allowed: set[XKey] | None = None
) -> dict[XKey, int]:
    """Insert into a valid plan and assert what must hold whatever happens.

    The result passes the validator, adds no key outside `allowed`, fills no less weighted, leaves the worst
    ratio no lower and leaves the input plan alone.
    """
    prep = prepare(inst, frozen_weeks)
    fillable = solver.fillable_by_municipality(inst)
    allowed = every_key(prep) if allowed is None else allowed
    assert solver.validate(inst, whole(prep, hours), frozen_weeks) == []
    kept = copy.deepcopy(hours)
    inserted = fair_insert(prep, hours, fillable, allowed)
    assert hours == kept
    assert inserted is not hours
    assert solver.validate(inst, whole(prep, inserted), frozen_weeks) == []
    assert set(inserted) - set(hours) <= allowed
    assert weighted_fill(prep, inserted) >= weighted_fill(prep, hours)
    assert min(ratios(prep, inserted, fillable).values()) >= min(ratios(prep, hours, fillable).values())
    return inserted


def contested(s_hours: int = 10, priority_b: int = 3, aon_b: bool = False) -> Instance:
    """A's all-or-nothing request needs six of S's hours, which B's network request holds; T's database work
    keeps B well served whatever S does."""
    return instance(
        [spec("S", {"net": 3}, hours=s_hours), spec("T", {"db": 3}, hours=10)],
        [
            req("RA", [("net", 1, 6)], start=0, end=0, town="A", aon=True),
            req("RB", [("net", 1, 10)], start=0, end=0, town="B", priority=priority_b, aon=aon_b),
            req("RB2", [("db", 1, 10)], start=0, end=0, town="B"),
        ],
        weeks=1,
    )


B_ONLY: dict[XKey, int] = {(("RB", 0), "S", 0): 10, (("RB2", 0), "T", 0): 10}


def test_the_worst_town_s_all_or_nothing_request_takes_free_hours_then_displaces_an_equal_priority_request() -> None:
    inst = contested(s_hours=12)
    prep = prepare(inst)
    fillable = solver.fillable_by_municipality(inst)
    assert fillable == {"A": 6, "B": 20}
    inserted = insert(inst, B_ONLY)
    # S's two free hours first, then four of B's network hours
    assert inserted == {(("RA", 0), "S", 0): 6, (("RB", 0), "S", 0): 6, (("RB2", 0), "T", 0): 10}
    assert ratios(prep, B_ONLY, fillable) == {"A": 0.0, "B": 1.0}
    assert ratios(prep, inserted, fillable) == {"A": 1.0, "B": 0.8}
    assert weighted_fill(prep, inserted) == weighted_fill(prep, B_ONLY) + 2 * 100


@pytest.mark.parametrize(
    ("priority_b", "served"),
    [(1, False), (2, False), (3, True), (4, True)],
    ids=["critical", "high", "equal", "low"],
)
def test_hours_of_a_heavier_request_are_never_displaced_so_the_insertion_is_undone(
    priority_b: int, served: bool
) -> None:
    inserted = insert(contested(priority_b=priority_b), B_ONLY)
    if served:
        assert request_hours(inserted, "RA") == 6
        assert request_hours(inserted, "RB") == 4
    else:
        assert inserted == B_ONLY


def test_hours_of_a_heavier_request_move_to_someone_free_so_the_all_or_nothing_request_is_served() -> None:
    # as in the critical case above, but U also knows networks and is free: B's critical hours move to U
    base = contested(priority_b=1)
    inst = instance([*base.specialists, spec("U", {"net": 3}, hours=10)], list(base.requests), weeks=1)
    prep = prepare(inst)
    inserted = insert(inst, B_ONLY)
    assert request_hours(inserted, "RA") == 6
    assert request_hours(inserted, "RB") == 10
    assert inserted[("RB", 0), "U", 0] == 6
    assert weighted_fill(prep, inserted) == weighted_fill(prep, B_ONLY) + 6 * 100


def boundary(rb2_hours: int) -> Instance:
    """A already has a third of its fillable demand (T's five database hours); its all-or-nothing request
    needs all ten of S's hours, which B's network request holds."""
    return instance(
        [spec("S", {"net": 3}, hours=10), spec("T", {"db": 3}, hours=20)],
        [
            req("RA", [("net", 1, 10)], start=0, end=0, town="A", aon=True),
            req("RA2", [("db", 1, 5)], start=0, end=0, town="A"),
            req("RB", [("net", 1, 10)], start=0, end=0, town="B"),
            req("RB2", [("db", 1, rb2_hours)], start=0, end=0, town="B"),
        ],
        weeks=1,
    )


@pytest.mark.parametrize(
    ("rb2_hours", "served"),
    [(4, False), (5, False), (6, True)],
    ids=["B would fall below A's third", "B would fall to A's third", "B stays above A's third"],
)
def test_a_town_that_would_fall_to_or_below_the_old_worst_ratio_is_not_robbed(rb2_hours: int, served: bool) -> None:
    inst = boundary(rb2_hours)
    prep = prepare(inst)
    fillable = solver.fillable_by_municipality(inst)
    hours: dict[XKey, int] = {(("RB", 0), "S", 0): 10, (("RA2", 0), "T", 0): 5, (("RB2", 0), "T", 0): rb2_hours}
    assert ratios(prep, hours, fillable)["A"] == pytest.approx(1 / 3)
    inserted = insert(inst, hours)
    if served:
        assert inserted == {(("RA", 0), "S", 0): 10, (("RA2", 0), "T", 0): 5, (("RB2", 0), "T", 0): 6}
        assert min(ratios(prep, inserted, fillable).values()) == pytest.approx(6 / 16)
    else:
        # B could give nine of the ten hours; the partial insertion is undone
        assert inserted == hours


@pytest.mark.parametrize("aon_b", [True, False], ids=["all-or-nothing", "ordinary"])
def test_hours_of_an_all_or_nothing_request_are_never_displaced(aon_b: bool) -> None:
    inserted = insert(contested(aon_b=aon_b), B_ONLY)
    assert request_hours(inserted, "RB") == (10 if aon_b else 4)
    assert request_hours(inserted, "RA") == (0 if aon_b else 6)


def test_an_all_or_nothing_request_that_cannot_be_completed_leaves_the_plan_exactly_as_it_was() -> None:
    # RA's network need can take four of RB's hours from S, but its database need finds T full with B's
    # critical request: the network hours already inserted must go back to RB
    inst = instance(
        [spec("S", {"net": 3}, hours=10), spec("T", {"db": 3}, hours=10)],
        [
            req("RA", [("net", 1, 4), ("db", 1, 4)], start=0, end=0, town="A", aon=True),
            req("RB", [("net", 1, 10)], start=0, end=0, town="B"),
            req("RB2", [("db", 1, 10)], start=0, end=0, town="B", priority=1),
        ],
        weeks=1,
    )
    hours = dict(B_ONLY)
    kept = copy.deepcopy(hours)
    inserted = insert(inst, hours)
    assert inserted == kept
    assert hours == kept
    assert inserted is not hours


@pytest.mark.parametrize(
    ("earlier", "frozen_weeks", "served"),
    [
        (Assignment("RB", 0, "S", 0, 10, pinned=True), 0, True),
        (Assignment("RB", 0, "S", 0, 10), 1, True),
        (Assignment("RB", 0, "S", 0, 10), 0, False),
    ],
    ids=["pinned", "in a frozen week", "neither, so B's hours move to the free week 0"],
)
def test_fixed_hours_count_towards_the_ratios_and_never_move(
    earlier: Assignment, frozen_weeks: int, served: bool
) -> None:
    # B's request has ten hours in week 0 besides the ten planned in week 1; when those are fixed, B stays
    # better served than A after giving week 1 to A's all-or-nothing request; when they are not, week 0 is
    # free and B's displaced hours move there, so A is served and B keeps its hours
    inst = instance(
        [spec("S", {"net": 3}, hours=10)],
        [
            req("RA", [("net", 1, 10)], start=1, end=1, town="A", aon=True),
            req("RB", [("net", 1, 20)], start=0, end=1, town="B"),
        ],
        weeks=2,
        previous=(earlier,),
    )
    hours: dict[XKey, int] = {(("RB", 0), "S", 1): 10}
    inserted = insert(inst, hours, frozen_weeks=frozen_weeks)
    moved = {(("RA", 0), "S", 1): 10, (("RB", 0), "S", 0): 10}
    assert inserted == ({(("RA", 0), "S", 1): 10} if served else moved)
    assert prepare(inst, frozen_weeks).fixed == ([earlier] if served else [])


@pytest.mark.parametrize("budget", [4, 10])
def test_the_partner_budget_limits_the_partner_s_share_of_an_insertion(budget: int) -> None:
    # the partner has both weeks free, so it comes first; S (week 0 only) takes the rest from B
    inst = instance(
        [
            spec("S", {"net": 3}, hours=10, off={1: 10}),
            spec("P", {"net": 5}, hours=10, kind="partner", cost=100),
            spec("T", {"db": 3}, hours=10),
        ],
        [
            req("RA", [("net", 1, 10)], start=0, end=1, town="A", allow_partner=True, aon=True),
            req("RB", [("net", 1, 10)], start=0, end=0, town="B"),
            req("RB2", [("db", 1, 10)], start=0, end=0, town="B"),
        ],
        weeks=2,
        partner=Partner("KP", budget_hours=budget, min_notice_weeks=0),
    )
    inserted = insert(inst, B_ONLY)
    partner = sum(h for (_key, sid, _w), h in inserted.items() if sid == "P")
    assert partner == budget
    assert request_hours(inserted, "RA") == 10
    assert request_hours(inserted, "RB") == budget


def two_people() -> Instance:
    return instance(
        [spec("S1", {"net": 3}, hours=10), spec("S2", {"net": 3}, hours=10)],
        [
            req("RA", [("net", 1, 10)], start=0, end=0, town="A", aon=True),
            req("RB", [("net", 1, 20)], start=0, end=0, town="B"),
        ],
        weeks=1,
    )


BOTH_ON_B: dict[XKey, int] = {(("RB", 0), "S1", 0): 10, (("RB", 0), "S2", 0): 10}


def test_only_allowed_keys_are_used() -> None:
    inst = two_people()
    keys = every_key(prepare(inst))
    assert insert(inst, BOTH_ON_B) == {(("RA", 0), "S1", 0): 10, (("RB", 0), "S2", 0): 10}
    allowed = keys - {(("RA", 0), "S1", 0)}
    inserted = insert(inst, BOTH_ON_B, allowed=allowed)
    assert set(inserted) <= allowed
    assert inserted == {(("RA", 0), "S2", 0): 10, (("RB", 0), "S1", 0): 10}


def test_nothing_is_inserted_when_no_allowed_key_belongs_to_the_all_or_nothing_request() -> None:
    inst = two_people()
    allowed = {k for k in every_key(prepare(inst)) if k[0][0] != "RA"}
    assert insert(inst, BOTH_ON_B, allowed=allowed) == BOTH_ON_B


# --- the fairness LP -----------------------------------------------------------------------------------------


def shared_specialist() -> Instance:
    """S's ten hours serve A's critical request (ten hours) and B's normal one (six)."""
    return instance(
        [spec("S", {"net": 3}, hours=10)],
        [
            req("RA", [("net", 1, 10)], start=0, end=0, town="A", priority=1),
            req("RB", [("net", 1, 6)], start=0, end=0, town="B"),
        ],
        weeks=1,
    )


@pytest.mark.parametrize(
    ("min_weighted", "bound"),
    [(None, 10 / 16), (8000, 10 / 27), (10_000, 0.0)],
    ids=["no floor", "a floor between", "the greedy fill"],
)
def test_the_fairness_bound_is_the_max_min_share_and_a_floor_on_the_fill_lowers_it(
    min_weighted: int | None, bound: float
) -> None:
    # A gets a hours, B gets 10 − a; the worst share min(a/10, (10 − a)/6) is highest at a/10 = (10 − a)/6,
    # so 10/16. The floor 1000a + 100(10 − a) ≥ 8000 asks a ≥ 70/9, leaving B 20/9 hours: a share of 10/27.
    inst = shared_specialist()
    fillable = solver.fillable_by_municipality(inst)
    assert fillable == {"A": 10, "B": 6}
    greedy = greedy_assignments(prepare(inst))
    assert solver.validate(inst, greedy) == []
    assert sum(a.hours * 1000 for a in greedy if a.request == "RA") == 10_000  # all of S on A: the greedy fill
    got = fairness_bound(inst, fillable, min_weighted=min_weighted)
    assert got == pytest.approx(bound)
    assert got <= fairness_bound(inst, fillable) + 1e-9


def floor_breaking() -> Instance:
    """The fairest LP gives A's critical all-or-nothing request a third of S; rounding it off loses the fill."""
    return instance(
        [spec("S", {"net": 3}, hours=10), spec("T", {"db": 3}, hours=10)],
        [
            req("RA", [("net", 1, 10)], start=0, end=0, town="A", priority=1, aon=True),
            req("RA2", [("db", 1, 10)], start=0, end=0, town="A"),
            req("RB", [("net", 1, 10)], start=0, end=0, town="B"),
        ],
        weeks=1,
    )


def test_a_dive_whose_rounding_breaks_the_fill_floor_keeps_the_last_solved_cells(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # A's share (10z + 10)/20 and B's 1 − z meet at z = 1/3, worth 2/3; the weighted fill 2000 + 9000z must
    # stay at 4700 or more, so rounding z down to 0 (and nothing rounds up) leaves the LP infeasible
    inst = floor_breaking()
    prep = prepare(inst)
    fillable = solver.fillable_by_municipality(inst)
    assert fillable == {"A": 20, "B": 10}
    no_floor = solve_fill_lp(prep, worst_of=fillable, dive_rounds=3)
    assert request_hours(no_floor.cells, "RA") == pytest.approx(0.0)
    assert weighted_fill(prep, no_floor.cells) < 4700
    undived = solve_fill_lp(prep, worst_of=fillable, min_weighted=4700)
    dived = solve_fill_lp(prep, worst_of=fillable, min_weighted=4700, dive_rounds=3)
    assert "No solution exists" not in capfd.readouterr().err
    assert math.isfinite(dived.value)
    assert dived.value == pytest.approx(2 / 3)
    assert dived.cells.keys() == undived.cells.keys()
    assert all(v == pytest.approx(undived.cells[c]) for c, v in dived.cells.items())
    assert request_hours(dived.cells, "RA") == pytest.approx(10 / 3)
    floored = whole(prep, dived.cells)
    person_week: dict[tuple[str, int], int] = defaultdict(int)
    for a in floored:
        person_week[a.specialist, a.week] += a.hours
    assert all(h <= prep.free_capacity[pw] for pw, h in person_week.items())
    assert person_week == {("S", 0): 9, ("T", 0): 10}
    # the all-or-nothing request's three hours are the LP's fraction; the rest is a valid plan as it stands
    assert solver.validate(inst, [a for a in floored if a.request != "RA"]) == []
