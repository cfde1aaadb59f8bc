"""The planner as a whole: against the baseline, reproducible, stoppable, re-planning, explaining."""

from __future__ import annotations

import dataclasses
import threading

import pytest

import solver
from solver.explain import assignment_reason, assignment_reasons
from solver.instance import Assignment, Instance, Request
from tests.solver.conftest import instance, plan, req, spec


def test_the_planner_returns_the_proven_fill_optimum_and_fills_at_least_every_greedy_order_on_s(
    sample_s: Instance,
) -> None:
    base = solver.greedy(sample_s)
    assert solver.validate(sample_s, base.assignments) == []
    # reproducible: deterministic limits and no wall clock on the LP, so a busy machine changes nothing
    result = plan(sample_s, time_limit=4.0, reproducible=True)
    fill = result.kpis["weighted_fill"]
    assert result.solver["fill_status"] == "OPTIMAL"
    assert fill == result.solver["fill_optimum"] == result.solver["best_fill_found"]
    assert fill <= solver.lp_bound(sample_s) + 1e-6
    assert all(fill >= f for f in base.solver["greedy_fills"].values())
    assert len(base.solver["greedy_fills"]) >= 2
    assert result.kpis["min_municipality_fill"] >= base.kpis["min_municipality_fill"]


def test_with_no_time_for_the_goal_steps_the_fullest_start_plan_wins(sample_s: Instance) -> None:
    base = solver.greedy(sample_s)
    # the LP may run past the limit here (its share is 10 × the limit), so the start plans exist on any
    # machine, while nothing is left for the goal steps
    result = plan(sample_s, time_limit=0.3, lp_time_share=10.0)
    assert result.solver["goals_status"] == "NOT_RUN"
    assert result.status == "FEASIBLE"
    assert result.kpis["weighted_fill"] == result.solver["best_fill_found"] >= base.kpis["weighted_fill"]
    # of the plans in hand at that fill, the one best goal by goal (a tidied one, not a raw start)
    hand = result.solver["plans_in_hand"]
    full = [p["key"] for p in hand.values() if p["fill"] == result.solver["best_fill_found"]]
    assert hand[result.solver["plan_source"]]["key"] == max(full)
    assert "+" in result.solver["plan_source"]


def test_the_reproducible_mode_gives_the_same_plan_twice(sample_s: Instance) -> None:
    first = plan(sample_s, time_limit=1.5, reproducible=True, workers=2)
    second = plan(sample_s, time_limit=1.5, reproducible=True, workers=2)
    assert first.solver["mode"] == "reproducible"
    assert first.assignments == second.assignments


def test_a_solve_stopped_early_keeps_the_best_plan_so_far(sample_s: Instance) -> None:
    stop = threading.Event()
    seen: list[solver.Progress] = []

    def on_progress(p: solver.Progress) -> None:
        seen.append(p)
        stop.set()

    result = solver.solve(sample_s, solver.PlanningConfig(time_limit=30.0), on_progress=on_progress, stop=stop)
    assert seen and seen[0].weighted_fill is not None
    assert result.solver["stopped_early"] is True
    assert result.assignments
    assert solver.validate(sample_s, result.assignments) == []
    assert result.kpis["weighted_fill"] >= solver.greedy(sample_s).kpis["weighted_fill"]


def test_a_replan_after_illness_and_new_requests_keeps_frozen_weeks_and_changes_little(sample_s: Instance) -> None:
    first = plan(sample_s, time_limit=2.0, reproducible=True)
    ill = {s.id for s in sample_s.specialists[:3]}
    people = tuple(
        dataclasses.replace(s, unavailable=tuple(sorted({**dict(s.unavailable), 4: 99, 5: 99}.items())))
        if s.id in ill
        else s
        for s in sample_s.specialists
    )
    extra: list[Request] = [
        dataclasses.replace(r, id=f"NEW{i}", start_week=max(r.start_week, 3), end_week=max(r.end_week, 3))
        for i, r in enumerate(sample_s.requests[:20])
    ]
    previous = tuple(dataclasses.replace(a, pinned=False) for a in first.assignments)
    changed = dataclasses.replace(
        sample_s, specialists=people, requests=sample_s.requests + tuple(extra), previous_plan=previous
    )
    again = plan(changed, time_limit=2.0, frozen_weeks=2, reproducible=True)
    kept = [a for a in previous if a.week < 2]
    assert all(a in again.assignments for a in kept)
    assert again.kpis["previous_changed_after_frozen"] / again.kpis["previous_after_frozen"] < 0.05


def test_every_unmet_need_has_a_reason_and_the_plan_document_follows_the_format(sample_s: Instance) -> None:
    result = plan(sample_s, time_limit=3.0)
    doc = solver.plan_document(result)
    assert doc["format"] == "pool-plan/1"
    assert set(doc) == {"format", "assignments", "unmet", "kpis", "solver"}
    for key in (
        "demand_hours",
        "filled_hours",
        "weighted_fill",
        "partner_hours",
        "partner_cost",
        "min_municipality_fill",
        "max_municipality_fill",
        "specialists_per_need",
        "changed_vs_previous",
    ):
        assert key in doc["kpis"]
    for key in ("status", "seconds", "objective", "bound", "workers", "seed", "mode"):
        assert key in doc["solver"]
    got: dict[tuple[str, int], int] = {}
    for a in result.assignments:
        got[a.request, a.need] = got.get((a.request, a.need), 0) + a.hours
    short = {(r.id, i) for r in sample_s.requests for i, n in enumerate(r.needs) if got.get((r.id, i), 0) < n.hours}
    assert {(u["request"], u["need"]) for u in doc["unmet"]} == short
    assert all(u["reason"] and u["detail"].endswith(".") for u in doc["unmet"])


def test_an_assignment_is_explained_with_its_alternatives() -> None:
    inst = instance([spec("A", {"net": 3}), spec("B", {"net": 5}, hours=4)], [req("R", [("net", 2, 16)])])
    result = plan(inst)
    text = solver.explain_assignment(inst, result, "R", 0, "A")
    assert "B (level 5" in text and "continuity" in text


def test_the_structured_explanation_names_the_alternatives_and_what_made_the_choice() -> None:
    inst = instance([spec("A", {"net": 3}), spec("B", {"net": 5}, hours=4)], [req("R", [("net", 2, 16)])])
    result = plan(inst)
    why = assignment_reason(inst, result, "R", 0, "A")
    assert why.code == "assigned" and why.facts["hours"] == 16 and why.facts["level"] == 3
    assert "continuity" in why.facts["because"] and "level-fits" in why.facts["because"]
    assert [(o["specialist"], o["level"]) for o in why.facts["alternatives"]] == [("B", 5)]
    assert assignment_reasons(inst, result, "R") == {(0, "A"): why}
    assert assignment_reason(inst, result, "R", 0, "B").code == "not-assigned"


def test_the_score_analysis_lists_every_goal() -> None:
    result = plan(instance([spec("A", {"net": 3})], [req("R", [("net", 2, 16)])]))
    rules = [b.rule for b in result.breakdown]
    assert rules[:3] == ["fill", "partner_cost", "fairness"]
    assert {"continuity", "stability", "home_municipality", "senior_on_junior"} <= set(rules)


def test_the_validator_reports_each_broken_rule() -> None:
    inst = instance(
        [spec("A", {"net": 2}, hours=8)],
        [req("R", [("net", 3, 8)], start=1, end=1, maxpw=4, aon=True), req("Q", [("net", 1, 100)], aon=True)],
        previous=(Assignment("R", 0, "A", 1, 2, pinned=True),),
    )
    bad = [Assignment("R", 0, "A", 0, 9), Assignment("Q", 0, "A", 0, 5)]
    errors = " ".join(solver.validate(inst, bad))
    for fragment in ("below 3", "outside the window", "capacity", "pinned", "all-or-nothing"):
        assert fragment in errors


def test_invalid_input_raises_value_error_and_an_empty_pool_does_not() -> None:
    with pytest.raises(ValueError):
        solver.solve(instance([spec("A", {"net": 3})], [req("R", [("net", 1, 8)], start=2, end=9)]))
    result = plan(instance([], [req("R", [("net", 1, 8)])]))
    assert result.assignments == () and result.unmet[0].reason == "no-eligible-specialist"
