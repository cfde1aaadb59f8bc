"""Polish re-plans each need on fewer (internal) people, pass after pass: a need re-planned later in a pass
can free the hours an earlier one needs on the next."""

from __future__ import annotations

from solver.instance import Partner
from solver.polish import polish
from solver.prepared import prepare
from tests.solver.conftest import instance, req, spec


def test_a_later_need_moving_away_lets_an_earlier_one_onto_one_person_on_the_next_pass() -> None:
    inst = instance(
        [
            spec("A", {"X": 3, "Y": 3}, hours=30),
            spec("B", {"X": 3}, hours=20),
            spec("C", {"Y": 3}, hours=30),
            spec("P", {"Y": 3}, hours=40, kind="partner", cost=100),
        ],
        [
            req("N1", [("X", 1, 30)], end=0, priority=1),
            req("N2", [("Y", 1, 20)], end=0, priority=2, allow_partner=True),
        ],
        weeks=1,
        partner=Partner("P", budget_hours=40, min_notice_weeks=0),
    )
    prep = prepare(inst)
    # N1 on A and B; N2 on A and the partner: N1 fits on A alone only once N2 has moved to C
    hours = {(("N1", 0), "A", 0): 20, (("N1", 0), "B", 0): 10, (("N2", 0), "A", 0): 10, (("N2", 0), "P", 0): 10}
    candidates = {("N1", 0): ["A", "B"], ("N2", 0): ["A", "C", "P"]}
    assert polish(prep, hours, candidates) == {(("N1", 0), "A", 0): 30, (("N2", 0), "C", 0): 20}
