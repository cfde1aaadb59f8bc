"""Complete solution hints (auxiliary variables included) from a plan's hours, so CP-SAT accepts them at once."""

from __future__ import annotations

from collections import defaultdict

from solver.model import PlanModel, XKey
from solver.prepared import is_fixed


def add_hints(pm: PlanModel, hours: dict[XKey, int]) -> None:
    """Hint every variable of the model from the given hours (missing keys count as 0), in one piece."""
    hint: dict[int, int] = {v.index: hours.get(k, 0) for k, v in pm.x.items()}
    got_need: dict[tuple[str, int], int] = defaultdict(int)
    for (key, _, _), h in hours.items():
        got_need[key] += h
    for rid, on in pm.request_on.items():
        r = pm.prep.requests[rid]
        hint[on.index] = int(any(got_need[(rid, i)] > 0 for i in range(len(r.needs))))
    used = {(key, sid) for (key, sid, _), h in hours.items() if h > 0}
    for var, pair in pm.used_pairs:
        hint[var.index] = int(pair in used)
    prev = {
        ((a.request, a.need), a.specialist, a.week): a.hours
        for a in pm.prep.instance.previous_plan
        if not is_fixed(a, pm.prep.frozen_weeks)
    }
    for k, d in pm.deviation.items():
        hint[d.index] = abs(hours.get(k, 0) - prev.get(k, 0))
    hint.update(fairness_hints(pm, hours))
    pm.model.clear_hints()
    proto = pm.model.model_proto.solution_hint
    proto.vars.extend(list(hint))
    proto.values.extend(list(hint.values()))


def fairness_hints(pm: PlanModel, hours: dict[XKey, int]) -> dict[int, int]:
    """The worst and best municipality's share, in steps, as the fairness goal's variables take them."""
    if pm.fairness_vars is None:
        return {}
    worst, best = pm.fairness_vars
    steps = pm.config.fairness_steps
    got: dict[str, int] = defaultdict(int)
    for a in pm.prep.fixed:
        got[pm.prep.requests[a.request].municipality] += a.hours
    for (key, _, _), h in hours.items():
        got[pm.prep.requests[key[0]].municipality] += h
    ratios = [(got[t], round(f)) for t, f in pm.fillable.items() if round(f) >= 1]
    if not ratios:
        return {}
    return {
        worst.index: min(steps, min(steps * g // f for g, f in ratios)),
        best.index: min(10 * steps, max(-(-steps * g // f) for g, f in ratios)),
    }


