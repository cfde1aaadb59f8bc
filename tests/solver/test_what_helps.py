"""What would help most: the ranking on a tiny situation whose answer is known, and confirmation by re-solving."""

from __future__ import annotations

import pytest

from solver.instance import Instance, Partner
from solver.lp_bound import lp_bound
from solver.what_helps import changed, what_helps
from tests.solver.conftest import instance, req, spec


def situation() -> Instance:
    """Two weeks. S1 (X at 3, 4 h a week) and the partner (1 h of budget) fill 9 of the 12 critical X hours;
    S2 (1 h a week) holds only Z; nobody holds Y, which a normal request wants for 6 hours."""
    return instance(
        [spec("S1", {"X": 3}, hours=4), spec("S2", {"Z": 1}, hours=1), spec("P", {"X": 3}, hours=40, kind="partner")],
        [req("R1", [("X", 3, 12)], end=1, maxpw=10, priority=1, allow_partner=True),
         req("R2", [("Y", 2, 6)], end=1, priority=3)],
        weeks=2, partner=Partner("Partner", budget_hours=1, min_notice_weeks=0),
    )


def test_ranks_by_the_weighted_fill_each_extra_adds() -> None:
    helps = what_helps(situation(), extra_hours=4, extra_budget=1, confirm=10)
    got = [(h.kind, h.specialist, h.skill, h.level, h.extra) for h in helps]
    assert got == [
        ("more-hours", "S1", "", 0, 4),  # the 3 critical hours left: 3 × 1000
        ("skill-level", "S2", "X", 3, 0),  # S2's 2 free hours on the critical need: 2 × 1000
        ("partner-budget", "", "", 0, 1),  # one more partner hour, critical: 1000
        ("skill-level", "S2", "Y", 2, 0),  # S2's 2 free hours on the normal need: 2 × 100
    ]
    assert [(h.confirmed, h.confirmed_hours) for h in helps] == [
        pytest.approx((3000, 3)), pytest.approx((2000, 2)), pytest.approx((1000, 1)), pytest.approx((200, 2))]
    # training S1 in Y would take its hours from the critical need: it adds nothing, and is not offered
    assert all(h.estimate > 0 for h in helps)


def test_estimates_are_the_duals_capped_by_what_is_left() -> None:
    helps = {(h.kind, h.specialist, h.skill): h for h in what_helps(situation(), extra_budget=1, confirm=0)}
    assert helps["more-hours", "S1", ""].estimate == pytest.approx(3000)  # 8 h × 1000, capped by the 3 left
    assert helps["partner-budget", "", ""].estimate == pytest.approx(1000)
    assert helps["skill-level", "S2", "Y"].estimate_hours == pytest.approx(2)
    assert all(h.confirmed is None for h in helps.values())


def test_a_confirmed_entry_equals_the_re_solve() -> None:
    inst = situation()
    base = lp_bound(inst)
    helps = what_helps(inst, extra_hours=2, extra_budget=5, confirm=3)
    assert len([h for h in helps if h.confirmed is not None]) == 3
    for h in helps[:3]:
        assert h.confirmed == pytest.approx(lp_bound(changed(inst, h)) - base)
