"""The greedy orders on arrays (solver.national.greedy), which the planner's starts and the baseline run, make
the reference greedy's plans (solver.greedy) on the fully prepared instance, LP-guided ones included; the
candidates ranked on the same arrays are the best covering people of the listed eligibility."""

from __future__ import annotations

import pytest

from solver.candidates import select_candidates
from solver.greedy import GREEDY_ORDERS, greedy_assignments
from solver.instance import Instance
from solver.lp_bound import solve_fill_lp
from solver.national.greedy import greedy_orders, national_greedy
from solver.national.tables import build_tables
from solver.prepared import NeedKey, Prepared, prepare
from tests.solver.test_national import noticed, replan


def cases(sample: Instance) -> list[tuple[Instance, int]]:
    return [(sample, 0), (replan(sample), 3), (noticed(), 0), (noticed(), 1)]


def test_the_orders_on_arrays_are_the_reference_greedy_plans(sample_s: Instance) -> None:
    for inst, frozen in cases(sample_s):
        prep = prepare(inst, frozen)
        orders = greedy_orders(prep)
        assert set(orders) == set(GREEDY_ORDERS)
        for order in GREEDY_ORDERS:
            assert set(orders[order]) == set(greedy_assignments(prep, order=order))


@pytest.mark.parametrize("block", [1, 100])
@pytest.mark.parametrize("flags", [False, True])  # the LP's hours, or only which pairs it uses (the planner's)
def test_the_lp_guided_order_on_arrays_is_the_reference_one(sample_s: Instance, block: int, flags: bool) -> None:
    for inst, frozen in cases(sample_s):
        prep = prepare(inst, frozen)
        prefer = solve_fill_lp(prep, block=block).support
        assert prefer or not inst.requests
        prefer = dict.fromkeys(prefer, 1.0) if flags else prefer
        tables = build_tables(inst, frozen)
        mine = national_greedy(tables, prep, prefer=prefer)
        assert set(mine) == set(greedy_assignments(prep, prefer=prefer))
        assert set(mine) != set(national_greedy(tables, prep)) or inst is not sample_s  # the LP does change it


def reference_candidates(prep: Prepared, per_need: int) -> dict[NeedKey, list[str]]:
    """The ranking written out over the listed eligibility: cover, internal first, least over-qualified, id."""
    chosen = {}
    for key in prep.need_keys():
        open_hours, room, need = prep.open_hours(key), prep.week_room(key[0]), prep.need(key)
        scored = sorted(
            (
                -min(open_hours, sum(min(prep.free_capacity[sid, w], room[w]) for w in weeks)),
                prep.specialists[sid].kind == "partner",
                prep.specialists[sid].level(need.skill) - need.min_level,
                sid,
            )
            for (k, sid), weeks in prep.eligible_weeks.items()
            if k == key
        )
        if open_hours and scored:
            chosen[key] = [sid for *_, sid in scored[:per_need]]
    return chosen


@pytest.mark.parametrize("per_need", [1, 3])
def test_candidates_ranked_on_arrays_are_the_best_covering_people(sample_s: Instance, per_need: int) -> None:
    for inst, frozen in cases(sample_s):
        prep = prepare(inst, frozen)
        assert select_candidates(prep, per_need) == reference_candidates(prep, per_need)
