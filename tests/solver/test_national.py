"""The national planner: the arrays see the same eligibility, the greedy orders make the same plans, and the
neighbourhoods run on a Dask cluster (a local one, or the one POOL_DASK_SCHEDULER names)."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
from distributed import LocalCluster

import solver
from solver.cluster import SCHEDULER_ENV
from solver.greedy import GREEDY_ORDERS, greedy_assignments
from solver.instance import Assignment, Instance, Partner
from solver.national.bounds import simple_bounds
from solver.national.goal_neighbourhood import improve_goals
from solver.national.greedy import national_greedy
from solver.national.neighbourhoods import neighbourhoods, sub_prepared
from solver.national.prepare import add_candidates, start_prepare
from solver.national.tables import build_tables
from solver.plans import PlanInHand
from solver.prepared import prepare
from tests.solver.conftest import instance, req, spec


def replan(sample: Instance) -> Instance:
    """The sample with its greedy plan published: some entries pinned, the rest open."""
    published = greedy_assignments(prepare(sample))
    previous = tuple(dataclasses.replace(a, pinned=i % 7 == 0) for i, a in enumerate(published))
    return dataclasses.replace(sample, previous_plan=previous)


def noticed() -> Instance:
    """A partner with two weeks' notice, a specialist on leave, an all-or-nothing request."""
    return instance(
        [spec("a", {"X": 3}, off={1: 16}), spec("b", {"X": 2, "Y": 4}, hours=8), spec("p", {"X": 5}, kind="partner")],
        [
            req("r1", [("X", 2, 40)], allow_partner=True, priority=1),
            req("r2", [("X", 3, 30), ("Y", 3, 12)], aon=True),
            req("r3", [("X", 1, 24)], start=1, end=2, maxpw=10),
        ],
        partner=Partner("P", budget_hours=20, min_notice_weeks=2),
    )


@pytest.mark.parametrize("frozen", [0, 2])
def test_tables_give_the_eligibility_rule(sample_s: Instance, frozen: int) -> None:
    for inst in (sample_s, replan(sample_s), noticed()):
        prep, tables = prepare(inst, frozen), build_tables(inst, frozen)
        for r in inst.requests:
            for i in range(len(r.needs)):
                assert [tables.ids[j] for j in tables.qualified(r, i)] == prep.qualified[r.id, i]
                rows, lo, mask = tables.eligible(r, i)
                mine = {tables.ids[j]: (lo + np.flatnonzero(m)).tolist() for j, m in zip(rows, mask, strict=True)}
                theirs = {s: w for (k, s), w in prep.eligible_weeks.items() if k == (r.id, i)}
                assert mine == theirs


@pytest.mark.parametrize("order", GREEDY_ORDERS)
def test_national_greedy_makes_the_greedy_plan(sample_s: Instance, order: str) -> None:
    for inst, frozen in ((sample_s, 0), (replan(sample_s), 3), (noticed(), 0)):
        tables = build_tables(inst, frozen)
        assert set(national_greedy(tables, start_prepare(tables), order)) == set(
            greedy_assignments(prepare(inst, frozen), order=order)
        )


def test_out_of_time_greedy_keeps_all_or_nothing() -> None:
    """At the deadline the requests not reached keep what the published plan gave, all-or-nothing ones complete."""
    inst = noticed()
    half = (Assignment("r2", 0, "a", 0, 16), Assignment("r1", 0, "a", 2, 8))  # r2 (all-or-nothing) is not complete
    inst = dataclasses.replace(inst, previous_plan=half)
    tables = build_tables(inst)
    plan = national_greedy(tables, start_prepare(tables), deadline=0.0)
    assert plan == [Assignment("r1", 0, "a", 2, 8)]
    assert solver.validate(inst, plan) == []


def national(inst: Instance, **config: object) -> solver.PlanResult:
    # national however small, and little kept back for the reasons of a small plan
    cfg = solver.PlanningConfig(national_triples=0, national_reserve_seconds=1.0, **config)  # type: ignore[arg-type]
    result = solver.solve(inst, cfg)
    assert solver.validate(inst, result.assignments, cfg.frozen_weeks) == []
    return result


@pytest.mark.slow
def test_neighbourhoods_on_a_local_cluster(sample_s: Instance, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    result = national(sample_s, time_limit=30.0, national_step_seconds=2.0, workers=2)
    greedy = solver.greedy(sample_s)
    assert result.solver["neighbourhoods_solved"] > 0
    assert result.solver["greedy_fill"] == greedy.kpis["weighted_fill"]
    assert result.kpis["weighted_fill"] >= greedy.kpis["weighted_fill"]


@pytest.mark.slow
def test_neighbourhoods_on_the_named_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    """With POOL_DASK_SCHEDULER set, the neighbourhoods go to that cluster's workers."""
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0") as cluster:
        monkeypatch.setenv(SCHEDULER_ENV, cluster.scheduler_address)
        result = national(noticed(), time_limit=20.0, national_step_seconds=1.0)
        assert "solve_neighbourhood" in cluster.scheduler.task_prefixes
    assert result.solver["neighbourhoods_solved"] > 0
    assert result.kpis["weighted_fill"] >= solver.greedy(noticed()).kpis["weighted_fill"]


@pytest.mark.parametrize("frozen", [0, 3])
def test_the_baseline_at_national_scale_is_the_same_greedy_plan(sample_s: Instance, frozen: int) -> None:
    """solver.greedy on the arrays: the same orders' fills and plan, fillable demand from the simple bound."""
    inst = replan(sample_s)
    small = solver.greedy(inst, solver.PlanningConfig(frozen_weeks=frozen))
    large = solver.greedy(inst, solver.PlanningConfig(frozen_weeks=frozen, national_triples=0))
    assert large.solver["greedy_fills"] == small.solver["greedy_fills"]
    assert set(large.assignments) == set(small.assignments)
    assert solver.validate(inst, large.assignments, frozen) == []
    tables = build_tables(inst, frozen)
    assert large.extra["fillable"] == simple_bounds(tables)[1] != small.extra["fillable"]


def split_by_greedy() -> Instance:
    """Greedy gives r1 to a (the most free hours), so r2 needs a and b; r1 on b and r2 on a fill as much."""
    return instance(
        [spec("a", {"X": 3}, hours=10), spec("b", {"X": 3}, hours=10, off={1: 10, 2: 10, 3: 10})],
        [
            req("r1", [("X", 1, 10)], end=1, maxpw=10, priority=1),
            req("r2", [("X", 1, 20)], end=1, maxpw=10, priority=2),
        ],
    )


@pytest.mark.slow
def test_goal_steps_in_neighbourhoods_lower_continuity_at_equal_fill(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fill search keeps greedy's plan (it is at its LP value); the goal steps then put each need on one
    person, the fill and every municipality's hours as they were."""
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    inst = split_by_greedy()
    greedy = solver.greedy(inst)
    assert greedy.kpis["specialists_per_need"] == 1.5
    result = national(inst, time_limit=120.0, national_step_seconds=5.0, workers=2)  # returns when done
    assert result.kpis["weighted_fill"] == greedy.kpis["weighted_fill"]
    assert result.kpis["min_municipality_fill"] == greedy.kpis["min_municipality_fill"]
    assert result.kpis["specialists_per_need"] == 1.0
    assert result.solver["goals_status"] == "FEASIBLE"
    assert result.solver["goal_neighbourhoods_improved"] >= 1


def test_a_neighbourhoods_goal_steps_keep_its_fill_and_take_fewer_people() -> None:
    inst = split_by_greedy()
    tables = build_tables(inst)
    prep = start_prepare(tables)
    add_candidates(tables, prep, 8)
    start = PlanInHand.of(prep, national_greedy(tables, prep), "greedy")
    [part] = neighbourhoods(prep, 6)
    got = improve_goals(sub_prepared(prep, start.hours, part, 0, previous=True), solver.PlanningConfig(),
                        start.hours, time.time() + 60)  # it ends when its steps are proven
    assert got.better and got.fill == start.fill
    assert len({(k, s) for k, s, _ in got.hours}) == 2 < len({(k, s) for k, s, _ in start.hours})
    assert sum(got.hours.values()) == sum(start.hours.values())
