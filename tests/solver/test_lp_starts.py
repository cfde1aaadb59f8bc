"""The LP's start plans (dive, rounding, LP-guided greedy), fillable demand by municipality, specialists per need."""

from __future__ import annotations

import importlib
import math
from collections import defaultdict
from typing import Any

import pytest

import solver
from solver.greedy import greedy_assignments
from solver.instance import Assignment, Instance, Partner
from solver.lp_bound import LpResult, fillable_by_municipality, lp_block, predicted_lp_seconds, solve_fill_lp
from solver.lp_round import lp_rounded
from solver.measures import pairs_and_needs, specialists_per_need
from solver.prepared import NeedKey, Prepared, prepare
from tests.solver.conftest import instance, req, spec

# `solver.lp_bound` is the re-exported function; the module is needed to spy on the LPs it builds
LP_MODULE = importlib.import_module("solver.lp_bound")


def checked(inst: Instance, prep: Prepared, new: list[Assignment]) -> list[Assignment]:
    """The whole plan (fixed and new assignments), asserted valid by the independent validator."""
    whole = [*prep.fixed, *new]
    assert solver.validate(inst, whole, prep.frozen_weeks) == []
    return whole


def weighted_fill(prep: Prepared, plan: list[Assignment]) -> int:
    return sum(a.hours * prep.requests[a.request].weight for a in plan)


def hours_by_need(plan: list[Assignment]) -> dict[NeedKey, int]:
    total: dict[NeedKey, int] = defaultdict(int)
    for a in plan:
        total[a.request, a.need] += a.hours
    return dict(total)


def lp_values(inst: Instance) -> dict[str, float]:
    """Each municipality's unweighted LP value with the whole pool to itself, the previous plan ignored."""
    prep = prepare(Instance(**{**inst.__dict__, "previous_plan": ()}))
    towns: dict[str, set[str]] = defaultdict(set)
    for r in inst.requests:
        towns[r.municipality].add(r.id)
    return {m: solve_fill_lp(prep, ids, weighted=False).value for m, ids in towns.items()}


def lp_calls(monkeypatch: pytest.MonkeyPatch) -> list[set[str] | None]:
    """Record the requests of every LP that fillable_by_municipality builds."""
    calls: list[set[str] | None] = []
    real = LP_MODULE.solve_fill_lp

    def spy(prep: Prepared, request_ids: set[str] | None = None, *args: Any, **kwargs: Any) -> LpResult:
        calls.append(request_ids)
        return real(prep, request_ids, *args, **kwargs)

    monkeypatch.setattr(LP_MODULE, "solve_fill_lp", spy)
    return calls


# --- fillable demand by municipality ----------------------------------------------------------------------


def test_fillable_demand_is_the_lp_value_without_building_the_lp_when_the_greedy_plan_reaches_the_simple_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = instance(
        [spec("S", {"net": 3}, hours=10), spec("T", {"db": 3}, hours=10)],
        [
            req("RA", [("net", 1, 15)], start=0, end=1, town="A"),
            req("RB", [("db", 1, 30)], start=0, end=1, town="B"),  # only 20 of its 30 hours can be filled
        ],
        weeks=2,
    )
    expected = lp_values(inst)
    calls = lp_calls(monkeypatch)
    fillable = fillable_by_municipality(inst)
    assert calls == []
    assert fillable == pytest.approx(expected)
    assert fillable == {"A": 15.0, "B": 20.0}


def competing_needs() -> Instance:
    """A's urgent request ranks the two-skilled S first (more free hours), leaving nobody for A's database work.

    Greedy fills 20 of A's hours; the LP gives the network request to T and 30 hours in all.
    """
    return instance(
        [spec("S", {"net": 3, "db": 3}, hours=20), spec("T", {"net": 3}, hours=10), spec("U", {"ux": 3}, hours=8)],
        [
            req("NET", [("net", 1, 10)], start=0, end=0, priority=1, town="A"),
            req("DB", [("db", 1, 20)], start=0, end=0, priority=3, town="A"),
            req("UX", [("ux", 1, 8)], start=0, end=0, town="B"),
        ],
        weeks=1,
    )


def test_fillable_demand_is_the_lp_value_when_a_municipality_s_greedy_plan_falls_short_of_the_simple_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = competing_needs()
    prep = prepare(inst)
    assert sum(a.hours for a in greedy_assignments(prep, request_ids={"NET", "DB"})) == 20
    expected = lp_values(inst)
    calls = lp_calls(monkeypatch)
    fillable = fillable_by_municipality(inst)
    assert calls == [{"NET", "DB"}]  # B's greedy plan reaches its bound, A's does not
    assert fillable == pytest.approx(expected)
    assert fillable == pytest.approx({"A": 30.0, "B": 8.0})


def test_an_all_or_nothing_request_that_cannot_be_completed_even_alone_adds_no_fillable_demand() -> None:
    inst = instance(
        [spec("S", {"net": 3}, hours=10)],
        [req("R", [("net", 1, 15)], start=0, end=0, aon=True)],
        weeks=1,
    )
    assert greedy_assignments(prepare(inst)) == []
    assert fillable_by_municipality(inst) == pytest.approx(lp_values(inst)) == {"A": 0.0}


def test_fillable_demand_of_all_or_nothing_requests_competing_for_one_person_is_the_relaxation_s_value() -> None:
    # each could be completed alone, only one of them by greedy; the relaxation shares the person
    inst = instance(
        [spec("S", {"net": 3}, hours=15)],
        [
            req("R1", [("net", 1, 10)], start=0, end=0, aon=True),
            req("R2", [("net", 1, 10)], start=0, end=0, aon=True),
        ],
        weeks=1,
    )
    assert sum(a.hours for a in greedy_assignments(prepare(inst))) == 10
    assert fillable_by_municipality(inst) == pytest.approx(lp_values(inst)) == {"A": 15.0}


def test_fillable_demand_is_the_lp_value_for_every_municipality_of_the_sample(sample_s: Instance) -> None:
    fillable = fillable_by_municipality(sample_s)
    expected = lp_values(sample_s)
    assert set(fillable) == set(expected)
    assert fillable == pytest.approx(expected)


# --- the LP dive -------------------------------------------------------------------------------------------


def aon_hours_in_cells(prep: Prepared, lp: LpResult) -> dict[str, tuple[float, int]]:
    """Per all-or-nothing request: (LP hours in the cells, hours asked)."""
    got: dict[str, float] = defaultdict(float)
    for (key, _sid, _w), v in lp.cells.items():
        got[key[0]] += v
    return {r.id: (got[r.id], sum(n.hours for n in r.needs)) for r in prep.instance.requests if r.all_or_nothing}


@pytest.mark.parametrize(
    ("aon_hours", "other_priority", "other_hours", "complete"),
    [(10, 2, 4, True), (10, 2, 6, False)],
    ids=["rounded up", "rounded down"],
)
def test_the_dive_leaves_every_all_or_nothing_request_complete_or_empty_and_keeps_the_first_bound(
    aon_hours: int, other_priority: int, other_hours: int, complete: bool
) -> None:
    # one person with ten hours; the other request outweighs the all-or-nothing one per hour (or, in the last
    # case, the all-or-nothing one cannot be completed), so the LP optimum fills it only in part
    inst = instance(
        [spec("S", {"net": 3}, hours=10)],
        [
            req("AON", [("net", 1, aon_hours)], start=0, end=0, aon=True),
            req("OTHER", [("net", 1, other_hours)], start=0, end=0, priority=other_priority),
        ],
        weeks=1,
    )
    prep = prepare(inst)
    plain = solve_fill_lp(prep)
    got, asked = aon_hours_in_cells(prep, plain)["AON"]
    assert 1e-6 < got < asked - 1e-6
    for rounds in (1, 3):
        dived = solve_fill_lp(prep, dive_rounds=rounds)
        assert dived.value == pytest.approx(plain.value)
        got, asked = aon_hours_in_cells(prep, dived)["AON"]
        assert got == pytest.approx(asked if complete else 0.0, abs=1e-6)
        # the hours the switch gave up (or took) go to the other request as far as it can use them
        other = sum(v for (key, _s, _w), v in dived.cells.items() if key[0] == "OTHER")
        assert other == pytest.approx(min(other_hours, 10 - got))


def test_a_rounding_up_the_partner_budget_cannot_carry_is_switched_off_instead() -> None:
    # only the partner knows the skill; the request could be completed alone but the budget (10 of 15 hours)
    # lets the LP fill two thirds of it, which the dive rounds up, cannot solve, and switches off
    partner = Partner(name="P", budget_hours=10, min_notice_weeks=0)
    inst = instance(
        [spec("P1", {"net": 3}, hours=20, kind="partner", cost=100)],
        [req("AON", [("net", 1, 15)], start=0, end=0, aon=True, allow_partner=True)],
        weeks=1,
        partner=partner,
    )
    prep = prepare(inst)
    plain = solve_fill_lp(prep)
    assert aon_hours_in_cells(prep, plain)["AON"][0] == pytest.approx(10.0)
    dived = solve_fill_lp(prep, dive_rounds=3)
    assert dived.value == pytest.approx(plain.value)
    assert aon_hours_in_cells(prep, dived)["AON"][0] == pytest.approx(0.0, abs=1e-6)


# --- the rounded LP plan ----------------------------------------------------------------------------------


def myopic() -> Instance:
    """The urgent network request ranks S first (twenty free hours against T's ten) and takes S's week 0, which
    the database request needs: only S knows databases and the database request runs in week 0 alone."""
    return instance(
        [spec("S", {"net": 3, "db": 3}, hours=10), spec("T", {"net": 3}, hours=10, off={1: 10})],
        [
            req("NET", [("net", 1, 10)], start=0, end=1, priority=1),
            req("DB", [("db", 1, 10)], start=0, end=0, priority=2),
        ],
        weeks=2,
    )


def test_the_rounded_lp_plan_is_valid_and_fills_more_than_the_coordinator_where_the_greedy_plan_is_myopic() -> None:
    inst = myopic()
    prep = prepare(inst)
    greedy = checked(inst, prep, greedy_assignments(prep))
    lp = solve_fill_lp(prep, dive_rounds=3)
    rounded = checked(inst, prep, lp_rounded(prep, lp))
    assert weighted_fill(prep, greedy) == 10 * 1000
    assert weighted_fill(prep, rounded) > weighted_fill(prep, greedy)
    assert weighted_fill(prep, rounded) == pytest.approx(lp.value) == 10 * 1000 + 10 * 300


def test_the_rounded_lp_plan_completes_or_drops_an_all_or_nothing_request_the_lp_left_fractional() -> None:
    inst = instance(
        [spec("S", {"net": 3}, hours=10)],
        [
            req("AON", [("net", 1, 10)], start=0, end=0, aon=True),
            req("OTHER", [("net", 1, 4)], start=0, end=0, priority=2),
        ],
        weeks=1,
    )
    prep = prepare(inst)
    lp = solve_fill_lp(prep)  # no dive: the cells hold 6 of AON's 10 hours
    rounded = checked(inst, prep, lp_rounded(prep, lp))
    assert hours_by_need(rounded).get(("AON", 0), 0) in (0, 10)
    assert weighted_fill(prep, rounded) >= weighted_fill(prep, greedy_assignments(prep))


def test_the_rounded_lp_plan_keeps_pinned_hours_and_leaves_them_out_of_its_own_assignments() -> None:
    base = myopic()
    pinned = Assignment("OLD", 0, "S", 1, 2, pinned=True)
    old = req("OLD", [("net", 1, 2)], start=1, end=1)
    inst = Instance(**{**base.__dict__, "requests": (*base.requests, old), "previous_plan": (pinned,)})
    prep = prepare(inst)
    new = lp_rounded(prep, solve_fill_lp(prep))
    assert all(not a.pinned for a in new)
    whole = checked(inst, prep, new)
    assert weighted_fill(prep, whole) > weighted_fill(prep, [*prep.fixed, *greedy_assignments(prep)])


def test_without_cells_the_rounded_lp_plan_is_empty() -> None:
    prep = prepare(myopic())
    assert lp_rounded(prep, LpResult(value=1.0)) == []


# --- the LP-guided greedy and greedy on some requests --------------------------------------------------------


def two_people() -> Instance:
    return instance(
        [spec("A", {"net": 3}, hours=10), spec("B", {"net": 3}, hours=10)],
        [req("R", [("net", 1, 10)], start=0, end=0)],
        weeks=1,
    )


def people_on(plan: list[Assignment], key: NeedKey) -> set[str]:
    return {a.specialist for a in plan if (a.request, a.need) == key}


def test_the_lp_guided_greedy_puts_a_need_on_the_specialist_with_the_most_lp_hours() -> None:
    inst = two_people()
    prep = prepare(inst)
    assert people_on(checked(inst, prep, greedy_assignments(prep)), ("R", 0)) == {"A"}
    guided = checked(inst, prep, greedy_assignments(prep, prefer={(("R", 0), "A"): 2.0, (("R", 0), "B"): 8.0}))
    assert people_on(guided, ("R", 0)) == {"B"}
    assert hours_by_need(guided) == {("R", 0): 10}


def test_the_lp_guided_greedy_prefers_an_lp_specialist_even_over_an_internal_one() -> None:
    inst = instance(
        [spec("A", {"net": 3}, hours=10), spec("P", {"net": 3}, hours=10, kind="partner", cost=100)],
        [req("R", [("net", 1, 10)], start=0, end=0, allow_partner=True)],
        weeks=1,
        partner=Partner("KP", budget_hours=10, min_notice_weeks=0),
    )
    prep = prepare(inst)
    assert people_on(checked(inst, prep, greedy_assignments(prep)), ("R", 0)) == {"A"}
    assert people_on(checked(inst, prep, greedy_assignments(prep, prefer={(("R", 0), "P"): 1.0})), ("R", 0)) == {"P"}


def test_greedy_on_some_requests_plans_only_those_as_if_the_pool_were_theirs() -> None:
    inst = instance(
        [spec("S", {"net": 3}, hours=10)],
        [
            req("URGENT", [("net", 1, 10)], start=0, end=0, priority=1),
            req("LATER", [("net", 1, 10)], start=0, end=0, priority=4),
        ],
        weeks=1,
    )
    prep = prepare(inst)
    assert hours_by_need(checked(inst, prep, greedy_assignments(prep))) == {("URGENT", 0): 10}
    assert hours_by_need(checked(inst, prep, greedy_assignments(prep, request_ids={"LATER"}))) == {("LATER", 0): 10}
    assert greedy_assignments(prep, request_ids=set()) == []


# --- the measures ------------------------------------------------------------------------------------------


def test_pairs_and_needs_counts_specialist_need_pairs_and_served_needs() -> None:
    plan = [Assignment("R", 0, "A", 0, 5), Assignment("R", 0, "B", 0, 5), Assignment("R", 0, "A", 1, 2)]
    plan.append(Assignment("Q", 0, "A", 0, 1))
    assert pairs_and_needs(plan) == (3, 2)
    assert specialists_per_need(plan) == 1.5
    assert pairs_and_needs([]) == (0, 0)


def test_the_planner_s_lp_is_weekly_where_predicted_quick_and_by_pair_else(sample_s: Instance) -> None:
    prep = prepare(sample_s)
    assert 0 < predicted_lp_seconds(prep) < 1.5
    assert lp_block(prep, seconds=1.5) == 1
    assert lp_block(prep, seconds=0.0) == sample_s.weeks  # every week in one block: a column per pair
    weekly, by_pair = solve_fill_lp(prep), solve_fill_lp(prep, block=sample_s.weeks)
    assert by_pair.value >= weekly.value  # looser, still a bound
    assert by_pair.support and not by_pair.cells  # it guides a start plan, but gives no cells to round


def test_the_starts_take_the_lp_by_pair_when_the_weekly_one_runs_out_after_all(
    sample_s: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts = importlib.import_module("solver.pipeline.starts")
    real, blocks = starts.solve_fill_lp, []

    def weekly_runs_out(prep: Prepared, block: int = 1, **kw: Any) -> LpResult:
        blocks.append(block)
        return LpResult(value=math.inf) if block == 1 else real(prep, block=block, **kw)

    monkeypatch.setattr(starts, "solve_fill_lp", weekly_runs_out)
    result = solver.solve(sample_s, solver.PlanningConfig(time_limit=4))
    assert blocks == [1, sample_s.weeks]
    assert result.solver["lp_bound"] is not None
    assert "lp-guided" in result.solver["start_fills"] and "lp-rounded" not in result.solver["start_fills"]
