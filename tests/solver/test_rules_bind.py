"""Each hard rule of the model binds: on a tiny instance the model without that rule's constraints makes a
plan the independent validator rejects for exactly that rule, and with it the planner's plan is valid.

The model is solved for fill alone (no bound, no start plan), so nothing but the rule stands in the way.
"""

from __future__ import annotations

from types import ModuleType

import pytest
from ortools.sat.python import cp_model

import solver
from solver.candidates import select_candidates
from solver.config import PlanningConfig
from solver.instance import Assignment, Instance, Partner
from solver.model import PlanModel
from solver.prepared import prepare
from solver.rules import all_or_nothing, capacity, fill, need_hours, partner_budget, registry, weekly_max
from tests.solver.conftest import instance, plan, req, spec


def model_plan(inst: Instance, without: ModuleType | None = None) -> list[Assignment]:
    """The model's fill-maximal plan, with every hard rule but `without`."""
    prep = prepare(inst)
    pm = PlanModel(prep, PlanningConfig(), {})
    pm.build_variables(select_candidates(prep, per_need=100))
    for rule in registry.HARD_RULES:
        if rule is not without:
            rule.add(pm)
    fill.add(pm)
    pm.model.maximize(pm.fill_expr)
    cp = cp_model.CpSolver()
    cp.parameters.num_workers = 1
    assert cp.solve(pm.model) == cp_model.OPTIMAL
    return [Assignment(k[0], k[1], sid, w, int(cp.value(v))) for (k, sid, w), v in pm.x.items() if cp.value(v) > 0]


def two_needs_one_person() -> Instance:
    # two requests want the same person in the same week: each alone fits the variable's upper bound
    return instance(
        [spec("A", {"net": 3}, hours=8)],
        [req("R1", [("net", 1, 8)], start=0, end=0), req("R2", [("net", 1, 8)], start=0, end=0)],
    )


def weekly_maximum() -> Instance:
    return instance(
        [spec("A", {"net": 3}, hours=16), spec("B", {"db": 3}, hours=16)],
        [req("R", [("net", 1, 16), ("db", 1, 16)], start=0, end=0, maxpw=20)],
    )


def more_hands_than_hours() -> Instance:
    return instance(
        [spec("A", {"net": 3}, hours=16), spec("B", {"net": 3}, hours=16)],
        [req("R", [("net", 1, 10)], start=0, end=0)],
    )


def small_budget() -> Instance:
    return instance(
        [spec("P", {"net": 5}, kind="partner", cost=100)],
        [req("R", [("net", 1, 40)], allow_partner=True)],
        partner=Partner("KP", 12, 0),
    )


def all_or_nothing_out_of_reach() -> Instance:
    # 8 hours in its one week, but the only person has 6: all-or-nothing gets none, otherwise 6 would do
    return instance([spec("A", {"net": 3}, hours=6)], [req("R", [("net", 1, 8)], start=0, end=0, aon=True)])


CASES = [
    (capacity, two_needs_one_person, "capacity 8 h"),
    (weekly_max, weekly_maximum, "weekly maximum 20 h"),
    (need_hours, more_hands_than_hours, "only 10 asked"),
    (partner_budget, small_budget, "budget 12 h"),
    (all_or_nothing, all_or_nothing_out_of_reach, "all-or-nothing but only partly filled"),
]


@pytest.mark.parametrize(("rule", "build", "error"), CASES, ids=[c[0].__name__.rsplit(".", 1)[-1] for c in CASES])
def test_without_its_constraint_the_model_breaks_the_rule_and_with_it_the_plan_is_valid(
    rule: ModuleType, build: object, error: str
) -> None:
    inst = build()  # type: ignore[operator]
    broken = solver.validate(inst, model_plan(inst, without=rule))
    assert any(error in e for e in broken), broken
    assert solver.validate(inst, model_plan(inst)) == []
    plan(inst)  # the planner's plan passes the validator


def test_every_hard_rule_of_the_model_has_a_case() -> None:
    assert {c[0] for c in CASES} == set(registry.HARD_RULES)
