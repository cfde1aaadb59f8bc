"""Re-plans: the frozen weeks and untouched requests stay, fill comes first, then stability; fill never drops."""

from __future__ import annotations

import dataclasses

from solver.config import PlanningConfig
from solver.instance import Assignment, Instance, Need, Partner
from solver.pipeline.budget import TimeBudget
from solver.pipeline.context import Run
from solver.pipeline.starts import start_plans
from solver.pipeline.untouched import touched_requests
from solver.prepared import prepare
from tests.solver.conftest import hours_of, instance, plan, req, spec


def _weeks(rid: str, sid: str, weeks: range, hours: int) -> tuple[Assignment, ...]:
    return tuple(Assignment(rid, 0, sid, w, hours) for w in weeks)


def _ill_and_new() -> Instance:
    """C falls ill in week 2 (KEEP and MOVE were published on A and C), and NEW arrives."""
    published = _weeks("KEEP", "A", range(4), 8) + _weeks("MOVE", "C", range(4), 8)
    return instance(
        [spec("A", {"net": 3}), spec("B", {"net": 3}), spec("C", {"net": 3}, off={2: 99})],
        [
            req("KEEP", [("net", 1, 32)], maxpw=8),
            req("MOVE", [("net", 1, 32)], maxpw=8),
            req("NEW", [("net", 1, 16)], start=2, end=3, maxpw=8, priority=1),
        ],
        previous=published,
    )


def _touched(inst: Instance) -> set[str]:
    """The requests a re-plan with one frozen week searches."""
    config = PlanningConfig(frozen_weeks=1)
    run = Run(prepare(inst, 1), config, TimeBudget(config), {})
    return touched_requests(run, start_plans(run))


def test_only_the_requests_a_change_touched_are_searched() -> None:
    inst = _ill_and_new()
    assert _touched(inst) == {"MOVE", "NEW"}
    result = plan(inst, frozen_weeks=1)
    assert result.solver["requests_searched"] == 2
    # the model holds the touched requests alone: C's free weeks 1 and 3, A's and B's weeks 1-3 for two needs
    assert {a for a in result.assignments if a.request == "KEEP"} == set(_weeks("KEEP", "A", range(4), 8))


def test_a_replan_changes_nothing_in_the_frozen_weeks_and_keeps_what_still_fits() -> None:
    inst = _ill_and_new()
    result = plan(inst, frozen_weeks=1)
    assert result.kpis["changed_inside_frozen"] == 0
    # C's week 2 moves (to B), NEW gets B's other free hours and A's none: one published entry changed
    assert result.kpis["previous_changed_after_frozen"] == 1
    assert hours_of(result, request="MOVE") == 32 and hours_of(result, request="NEW") == 16


def test_a_replan_puts_stability_before_the_partner_cost() -> None:
    # the partner's week 2 falls out; the rest stays on the partner although the internal A is free
    published = _weeks("R", "P", range(4), 4)
    inst = instance(
        [spec("P", {"net": 5}, kind="partner", cost=150, off={2: 99}), spec("A", {"net": 3})],
        [req("R", [("net", 1, 16)], allow_partner=True, maxpw=4)],
        partner=Partner("KP", 100, 0),
        previous=published,
    )
    result = plan(inst, frozen_weeks=1)
    assert hours_of(result, "P") == 12 and hours_of(result, "A") == 4
    assert list(result.solver["goal_steps"])[0] == "stability"
    # a fresh plan of the same requests puts the partner cost first
    fresh = plan(instance(list(inst.specialists), list(inst.requests), partner=inst.partner))
    assert hours_of(fresh, "P") == 0


def test_a_replan_fills_no_less_than_keeping_the_published_plan() -> None:
    # weeks 0-1 are frozen (their fill is fixed); stability counts NEW's hours as changes, the fill floor keeps them
    published = _weeks("OLD", "A", range(4), 16)
    inst = instance(
        [spec("A", {"net": 3}), spec("B", {"net": 3})],
        [req("OLD", [("net", 1, 64)], maxpw=16), req("NEW", [("net", 1, 32)], start=2, end=3, maxpw=16)],
        previous=published,
    )
    result = plan(inst, frozen_weeks=2)
    assert set(published) <= set(result.assignments)
    assert hours_of(result, request="NEW") == 32


def test_a_replan_runs_no_repairs() -> None:
    result = plan(_ill_and_new(), frozen_weeks=1)
    assert not any("+" in source for source in result.solver["plans_in_hand"])


def test_a_kept_request_s_unmet_hours_are_explained_as_in_the_whole_pool() -> None:
    # KEEP keeps its published 32 h; its last 8 h find A on leave and B taken by the more urgent OTHER
    published = _weeks("KEEP", "A", range(4), 8) + (Assignment("OTHER", 0, "B", 4, 16),)
    inst = instance(
        [spec("A", {"net": 3}, off={4: 99}), spec("B", {"net": 3}), spec("C", {"net": 3}, off={2: 99, 4: 99})],
        [
            req("KEEP", [("net", 1, 40)], end=4, maxpw=8),
            req("OTHER", [("net", 1, 16)], start=4, end=4, priority=1),
            req("MOVE", [("net", 1, 32)], maxpw=8),
        ],
        previous=published + _weeks("MOVE", "C", range(4), 8),
        weeks=5,
    )
    result = plan(inst, frozen_weeks=1)
    assert result.solver["requests_searched"] == 1  # MOVE alone
    assert [(u.request, u.reason) for u in result.unmet] == [("KEEP", "capacity-taken")]


def _critical_behind_low() -> Instance:
    """X, the only one who can do CRIT's security work, is booked in full by the published LOW; OTHER is on Y."""
    published = _weeks("LOW", "X", range(4), 16) + _weeks("OTHER", "Y", range(4), 16)
    return instance(
        [spec("X", {"net": 3, "sec": 3}), spec("Y", {"net": 3})],
        [
            req("LOW", [("net", 1, 64)], maxpw=16, priority=4),
            req("OTHER", [("net", 1, 64)], maxpw=16),
            req("CRIT", [("sec", 1, 32)], start=2, end=3, maxpw=16, priority=1),
        ],
        previous=published,
    )


def test_a_new_critical_request_takes_the_hours_a_low_one_held() -> None:
    # fill comes before stability: CRIT gets X's weeks 2-3 from LOW; nothing else changes
    inst = _critical_behind_low()
    assert _touched(inst) == {"CRIT", "LOW"}  # OTHER holds nothing CRIT could take
    result = plan(inst, frozen_weeks=1)
    assert hours_of(result, request="CRIT") == 32
    kept_published = 64 * 30 + 64 * 100
    assert result.kpis["weighted_fill"] == kept_published - 32 * 30 + 32 * 1000
    assert {a for a in result.assignments if a.request != "CRIT"} == set(
        _weeks("LOW", "X", range(2), 16) + _weeks("OTHER", "Y", range(4), 16)
    )
    assert result.kpis["previous_changed_after_frozen"] == 2


def test_an_all_or_nothing_request_that_cannot_be_complete_displaces_nobody() -> None:
    # 48 h in weeks 2-3 at 16 h a week at most: never complete, so LOW's published hours stay out of the search
    inst = _critical_behind_low()
    crit = dataclasses.replace(inst.requests[2], all_or_nothing=True, needs=(Need("sec", 1, 48),))
    inst = dataclasses.replace(inst, requests=(*inst.requests[:2], crit))
    assert _touched(inst) == {"CRIT"}
    result = plan(inst, frozen_weeks=1)
    assert hours_of(result, request="CRIT") == 0 and result.kpis["previous_changed_after_frozen"] == 0
