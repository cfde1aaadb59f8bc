"""Re-plans: the requests nothing touched keep their published hours; only the touched ones are searched.

A request is touched when a start plan gives it other hours than the published plan after the frozen weeks
(every greedy order first keeps the published entries that still fit, so that is an entry that no longer
fits, a specialist fallen ill say, or hours added), or when it has open hours and no published entry (a new
request). Every other request keeps its published entries, fixed like the frozen weeks: the re-plan
changes nothing it need not, and the model holds the touched requests alone. The start plans agree with the
published plan on the kept requests, so each is still a plan of that model and the fill floor holds.
"""

from __future__ import annotations

from collections import defaultdict

from solver.model import XKey
from solver.pipeline.context import Run
from solver.pipeline.starts import Starts
from solver.plans import PlanInHand, xkey
from solver.prepared import is_fixed, prepare


def keep_untouched(run: Run, starts: Starts) -> Starts:
    """Prepare the run again with the untouched requests kept; the start plans without their hours."""
    prep = run.prep
    kept = frozenset(r.id for r in prep.instance.requests) - touched_requests(run, starts)
    run.prep = prepare(prep.instance, prep.frozen_weeks, kept)
    plans = [
        PlanInHand.from_hours(run.prep, {k: h for k, h in p.hours.items() if k[0][0] not in kept}, p.source)
        for p in starts.plans
    ]
    greedy_fill = max(p.fill for p in plans if p.source.startswith("greedy "))
    run.info.update(requests_kept=len(kept), requests_searched=len(prep.instance.requests) - len(kept))
    return Starts(plans, greedy_fill, starts.lp)


def touched_requests(run: Run, starts: Starts) -> set[str]:
    """The requests a start plan changes, and those with open hours and nothing published."""
    prep = run.prep
    published = _by_request(
        {xkey(a): a.hours for a in prep.instance.previous_plan if not is_fixed(a, prep.frozen_weeks)}
    )
    touched: set[str] = set()
    for p in starts.plans:
        planned = _by_request(p.hours)
        touched |= {rid for rid in planned.keys() | published.keys() if planned.get(rid) != published.get(rid)}
    touched |= {
        r.id
        for r in prep.instance.requests
        if r.id not in published and any(prep.open_hours((r.id, i)) for i in range(len(r.needs)))
    }
    return touched


def _by_request(hours: dict[XKey, int]) -> dict[str, dict[XKey, int]]:
    out: dict[str, dict[XKey, int]] = defaultdict(dict)
    for k, h in hours.items():
        if h > 0:
            out[k[0][0]][k] = h
    return dict(out)
