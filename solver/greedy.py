"""The baseline: how a coordinator with a spreadsheet plans.

Priority first, then the earliest start; the same person as before if possible; internal specialists before
the partner; each person's weeks filled from the earliest on. An all-or-nothing request that cannot be filled
completely is rolled back.
"""

from __future__ import annotations

import time

from solver.checks import check_instance
from solver.config import PlanningConfig
from solver.instance import Assignment, Instance
from solver.prepared import NeedKey, Prepared, prepare
from solver.result import PlanResult


def greedy_assignments(prep: Prepared) -> list[Assignment]:
    """Return the greedy plan's new assignments (the fixed ones excluded)."""
    free = dict(prep.free_capacity)
    budget = prep.partner_budget_left
    previous_people: dict[NeedKey, set[str]] = {}
    for a in prep.instance.previous_plan:
        previous_people.setdefault((a.request, a.need), set()).add(a.specialist)
    plan: list[Assignment] = []
    order = sorted(prep.instance.requests, key=lambda r: (r.priority, r.start_week, r.id))
    for r in order:
        trial: list[Assignment] = []
        room = {w: prep.request_week_room(r.id, w) for w in range(r.start_week, r.end_week + 1)}
        on_request: set[str] = set()
        spent_budget = 0
        complete = True
        for i in range(len(r.needs)):
            key = (r.id, i)
            left = prep.open_hours(key)
            if left == 0:
                continue
            cands = [s for s in prep.qualified[key] if (key, s) in prep.eligible_weeks]

            ranked = sorted(
                (
                    prep.specialists[sid].kind == "partner",
                    sid not in previous_people.get(key, ()),
                    sid not in on_request,
                    -sum(min(free[sid, w], room[w]) for w in prep.eligible_weeks[key, sid]),
                    sid,
                )
                for sid in cands
            )
            for *_, sid in ranked:
                partner = prep.specialists[sid].kind == "partner"
                for w in prep.eligible_weeks[key, sid]:
                    if left == 0:
                        break
                    h = min(left, free[sid, w], room[w])
                    if partner:
                        h = min(h, budget - spent_budget)
                    if h <= 0:
                        continue
                    trial.append(Assignment(r.id, i, sid, w, h))
                    free[sid, w] -= h
                    room[w] -= h
                    left -= h
                    on_request.add(sid)
                    if partner:
                        spent_budget += h
                if left == 0:
                    break
            complete = complete and left == 0
        if r.all_or_nothing and not complete:
            for a in trial:
                free[a.specialist, a.week] += a.hours
            continue
        budget -= spent_budget
        plan.extend(trial)
    return plan


def greedy(instance: Instance, config: PlanningConfig | None = None) -> PlanResult:
    """Plan the way a coordinator with a spreadsheet does; a baseline to judge the real planner by."""
    from solver.assemble import assemble
    from solver.lp_bound import fillable_by_municipality

    config = config or PlanningConfig()
    check_instance(instance)
    started = time.monotonic()
    prep = prepare(instance, config.frozen_weeks)
    plan = list(prep.fixed) + greedy_assignments(prep)
    info = {
        "status": "FEASIBLE",
        "seconds": round(time.monotonic() - started, 3),
        "objective": sum(a.hours * prep.requests[a.request].weight for a in plan),
        "bound": None,
        "workers": 1,
        "seed": config.seed,
        "mode": "greedy",
    }
    return assemble(prep, config, plan, info, fillable_by_municipality(instance), "FEASIBLE")
