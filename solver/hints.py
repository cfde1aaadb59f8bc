"""Complete solution hints (auxiliary variables included) from a plan's hours, so CP-SAT accepts them at once."""

from __future__ import annotations

from collections import defaultdict

from solver.model import PlanModel, XKey
from solver.prepared import is_fixed


def add_hints(pm: PlanModel, hours: dict[XKey, int]) -> None:
    """Hint every variable of the model from the given hours (missing keys count as 0)."""
    m = pm.model
    m.clear_hints()
    for k, v in pm.x.items():
        m.add_hint(v, hours.get(k, 0))
    got_need: dict[tuple[str, int], int] = defaultdict(int)
    for (key, _, _), h in hours.items():
        got_need[key] += h
    for rid, on in pm.request_on.items():
        r = pm.prep.requests[rid]
        m.add_hint(on, any(got_need[(rid, i)] > 0 for i in range(len(r.needs))))
    for var, pair in pm.used_pairs:
        key, sid = pair
        m.add_hint(var, any(hours.get(k, 0) > 0 for k in _keys_of_pair(pm, key, sid)))
    prev = {
        ((a.request, a.need), a.specialist, a.week): a.hours
        for a in pm.prep.instance.previous_plan
        if not is_fixed(a, pm.prep.frozen_weeks)
    }
    for k, d in pm.deviation.items():
        m.add_hint(d, abs(hours.get(k, 0) - prev.get(k, 0)))
    if pm.fairness_vars is not None:
        worst, best = pm.fairness_vars
        steps = pm.config.fairness_steps
        got: dict[str, int] = defaultdict(int)
        for a in pm.prep.fixed:
            got[pm.prep.requests[a.request].municipality] += a.hours
        for (key, _, _), h in hours.items():
            got[pm.prep.requests[key[0]].municipality] += h
        ratios = [(got[t], round(f)) for t, f in pm.fillable.items() if round(f) >= 1]
        if ratios:
            m.add_hint(worst, min(steps, min(steps * g // f for g, f in ratios)))
            m.add_hint(best, min(10 * steps, max(-(-steps * g // f) for g, f in ratios)))


def _keys_of_pair(pm: PlanModel, key: tuple[str, int], sid: str) -> list[XKey]:
    return [(key, sid, w) for w in pm.prep.eligible_weeks.get((key, sid), ()) if (key, sid, w) in pm.x]
