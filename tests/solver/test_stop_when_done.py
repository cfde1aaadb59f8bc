"""The time limit is a ceiling: a goal step that cannot improve is not searched, one that only creeps on stops."""

from __future__ import annotations

from dataclasses import dataclass, field

from solver.instance import Assignment, Partner
from solver.search import Stall
from tests.solver.conftest import instance, plan, req, spec


def test_fairness_is_not_searched_when_every_municipality_gets_its_whole_fillable_demand() -> None:
    inst = instance(
        [spec("A", {"net": 3}, hours=40), spec("B", {"net": 3}, hours=40, home="B")],
        [req("RA", [("net", 1, 16)], town="A"), req("RB", [("net", 1, 16)], town="B")],
    )
    result = plan(inst)
    assert result.kpis["min_municipality_fill"] == 1.0
    step = "fairness+fairness_spread"
    assert result.solver["goal_steps"][step] == "OPTIMAL"
    assert step not in result.solver.get("goal_seconds", {})  # no search ran for it
    assert "continuity" in result.solver["goal_seconds"]  # the steps after it still ran


def test_a_goal_already_at_its_least_possible_value_is_not_searched() -> None:
    # the internal A covers the need: no partner hour is paid, the least the partner cost can be; the partner's
    # pinned hours are paid whatever the plan, so they do not count against it
    inst = instance(
        [spec("A", {"net": 3}, hours=40), spec("P", {"net": 5}, kind="partner", cost=150)],
        [req("R", [("net", 1, 16)], allow_partner=True), req("PIN", [("net", 1, 4)], allow_partner=True)],
        partner=Partner("KP", 100, 0),
        previous=(Assignment("PIN", 0, "P", 0, 4, pinned=True),),
    )
    result = plan(inst)
    assert result.kpis["partner_cost"] == 600
    assert result.solver["goal_steps"]["partner_cost"] == "OPTIMAL"
    assert "partner_cost" not in result.solver.get("goal_seconds", {})  # no search ran for it


@dataclass
class FakeSearch:
    """What Stall reads of a running search: when each better solution came, and its objective."""

    found_at: list[float] = field(default_factory=list)
    objectives: list[float] = field(default_factory=list)

    @property
    def solutions(self) -> int:
        return len(self.found_at)

    @property
    def last_found(self) -> float:
        return self.found_at[-1]


CREEPING = FakeSearch([0.0, 0.3, 0.6], [1000.0, 999.9, 999.85])
IMPROVING = FakeSearch([0.0, 0.3, 0.6], [1000.0, 900.0, 800.0])


def test_a_search_whose_objective_only_creeps_on_stops_after_the_window() -> None:
    stall = Stall(quiet=1.5, window=0.5, share=0.001)
    assert stall.reached(CREEPING, now=1.0)  # type: ignore[arg-type]
    assert not stall.reached(CREEPING, now=0.4)  # type: ignore[arg-type]  # the window has not passed yet


def test_a_search_that_still_improves_goes_on_until_it_is_quiet() -> None:
    stall = Stall(quiet=1.5, window=0.5, share=0.001)
    assert not stall.reached(IMPROVING, now=1.0)  # type: ignore[arg-type]
    assert stall.reached(IMPROVING, now=2.2)  # type: ignore[arg-type]  # nothing better for 1.6 s
    assert not Stall(quiet=1.5).reached(CREEPING, now=1.0)  # type: ignore[arg-type]  # without a window: quiet only
    assert not stall.reached(FakeSearch(), now=5.0)  # type: ignore[arg-type]  # no solution yet: never


@dataclass
class FakeFillSearch(FakeSearch):
    """A fill search whose fill last improved at `fill_found_at`; only its tie-break (fewer pairs) came after."""

    fill_found_at: float = 0.0

    @property
    def last_figure_found(self) -> float:
        return self.fill_found_at


def test_the_fill_step_stops_when_its_fill_stops_improving_though_its_tie_break_still_gains() -> None:
    search = FakeFillSearch([0.0, 0.3, 1.0, 1.9], [5000.0, 6000.0, 5999.0, 5998.0], fill_found_at=0.3)
    assert Stall(quiet=1.5, on_fill=True).reached(search, now=2.0)  # type: ignore[arg-type]  # fill quiet for 1.7 s
    assert not Stall(quiet=1.5).reached(search, now=2.0)  # type: ignore[arg-type]  # a better objective 0.1 s ago
    assert not Stall(quiet=1.5, on_fill=True).reached(search, now=1.7)  # type: ignore[arg-type]
