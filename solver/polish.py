"""A fast local repair before the goal steps: re-plan each need on as few (internal) people as possible.

Each need keeps its exact hours, so fill never drops; every move respects capacity, the weekly maximum and
the partner budget. CP-SAT then starts the goal steps from this tidy plan instead of a scattered one.
"""

from __future__ import annotations

from collections import defaultdict

from solver.config import Weights
from solver.model import XKey
from solver.prepared import NeedKey, Prepared


def polish(
    prep: Prepared,
    hours: dict[XKey, int],
    candidates: dict[NeedKey, list[str]],
    weights: Weights | None = None,
) -> dict[XKey, int]:
    """Return the plan with each need re-assigned to fewer or cheaper people where that is possible.

    A new assignment of a need is taken when it costs less by the goal weights (continuity per person,
    partner cost per euro), so a partner-carried need moves to free internal capacity when that pays.
    """
    weights = weights or Weights()

    def cost(assigned: dict[tuple[str, int], int]) -> int:
        people = {sid for sid, _ in assigned}
        euros = sum(
            h * prep.specialists[sid].hourly_cost
            for (sid, _), h in assigned.items()
            if prep.specialists[sid].kind == "partner"
        )
        return weights.continuity * len(people) + weights.partner_cost * euros

    plan = dict(hours)
    person_week: dict[tuple[str, int], int] = defaultdict(int)
    request_week: dict[tuple[str, int], int] = defaultdict(int)
    per_need: dict[NeedKey, dict[tuple[str, int], int]] = defaultdict(dict)
    partner_used = 0
    for (key, sid, w), h in plan.items():
        person_week[sid, w] += h
        request_week[key[0], w] += h
        per_need[key][sid, w] = h
        if prep.specialists[sid].kind == "partner":
            partner_used += h
    order = sorted(per_need, key=lambda k: (prep.requests[k[0]].priority, k))
    for key in order:
        current = per_need[key]
        people = {sid for sid, _ in current}
        has_partner = any(prep.specialists[sid].kind == "partner" for sid in people)
        if len(people) <= 1 and not has_partner:
            continue
        rid = key[0]
        total = sum(current.values())
        # take the need out, then fill it again the greedy way
        for (sid, w), h in current.items():
            person_week[sid, w] -= h
            request_week[rid, w] -= h
            if prep.specialists[sid].kind == "partner":
                partner_used -= h
        budget = prep.partner_budget_left - partner_used

        def cap(sid: str, w: int, rid: str = rid) -> int:
            return prep.free_capacity[sid, w] - person_week[sid, w]

        def room(w: int, rid: str = rid) -> int:
            return prep.request_week_room(rid, w) - request_week[rid, w]

        ranked = sorted(
            (
                prep.specialists[sid].kind == "partner",
                -min(total, sum(max(0, min(cap(sid, w), room(w))) for w in prep.eligible_weeks[key, sid])),
                sid not in people,
                sid,
            )
            for sid in candidates.get(key, [])
            if (key, sid) in prep.eligible_weeks
        )
        new: dict[tuple[str, int], int] = {}
        in_week: dict[int, int] = defaultdict(int)
        left = total
        spent = 0
        for *_, sid in ranked:
            partner = prep.specialists[sid].kind == "partner"
            for w in prep.eligible_weeks[key, sid]:
                if left == 0:
                    break
                h = min(left, cap(sid, w), room(w) - in_week[w])
                if partner:
                    h = min(h, budget - spent)
                if h <= 0:
                    continue
                new[sid, w] = h
                in_week[w] += h
                left -= h
                if partner:
                    spent += h
            if left == 0:
                break
        better = left == 0 and cost(new) < cost(current)
        chosen = new if better else current
        for (sid, w), h in chosen.items():
            person_week[sid, w] += h
            request_week[rid, w] += h
            if prep.specialists[sid].kind == "partner":
                partner_used += h
        if better:
            for sid, w in current:
                plan.pop((key, sid, w), None)
            for (sid, w), h in new.items():
                plan[key, sid, w] = h
            per_need[key] = new
    return plan
