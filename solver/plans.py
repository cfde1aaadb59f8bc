"""Plans in hand: figures to compare them by, and the tidied and repaired versions of the start plans.

A plan in hand is the hours per need × specialist × week of its new assignments (the fixed ones apart), its
weighted fill and a name saying where it came from. The planner keeps every such plan and picks the best-scoring
one that keeps its promises (fill at least greedy's, no more specialists per need, no municipality worse off).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from solver.config import PlanningConfig
from solver.fair_insert import fair_insert
from solver.fair_repair import fair_repair
from solver.instance import Assignment
from solver.model import XKey
from solver.polish import polish
from solver.prepared import NeedKey, Prepared
from solver.scoring import breakdown
from solver.trim import pairs_and_needs, top_up, trim_to_cap

Candidate = tuple[dict[XKey, int], int, str]  # hours, weighted fill without the fixed part, where it came from


def assignments(hours: dict[XKey, int]) -> list[Assignment]:
    """The plan's hours as assignments, in a stable order."""
    return [Assignment(key[0], key[1], sid, w, h) for (key, sid, w), h in sorted(hours.items()) if h > 0]


def xkey(a: Assignment) -> XKey:
    """The model's key of an assignment: (need, specialist, week)."""
    return ((a.request, a.need), a.specialist, a.week)


def weighted(prep: Prepared, plan: list[Assignment]) -> int:
    """Priority-weighted hours of the assignments."""
    return sum(a.hours * prep.requests[a.request].weight for a in plan)


def within(prep: Prepared, hours: dict[XKey, int], cap: tuple[int, int]) -> bool:
    """Whether the plan has at most as many specialists per served need as pairs ÷ needs in `cap`."""
    pairs, needs = pairs_and_needs(list(prep.fixed) + assignments(hours))
    return pairs * cap[1] <= cap[0] * needs


def worst_permille(prep: Prepared, hours: dict[XKey, int], fillable: dict[str, float], config: PlanningConfig) -> int:
    """The worst municipality's share of its fillable demand, in the fairness goal's steps (as the model has it)."""
    got = _town_hours(prep, hours)
    steps = config.fairness_steps
    return min([steps] + [steps * got[m] // round(f) for m, f in fillable.items() if round(f) >= 1])


def summary(
    prep: Prepared, hours: dict[XKey, int], fill: int, fillable: dict[str, float], cap: tuple[int, int]
) -> dict[str, Any]:
    """A candidate plan in figures: weighted fill, worst municipality's share, specialists per need, cap kept."""
    got = _town_hours(prep, hours)
    worst = min((min(1.0, got[m] / f) for m, f in fillable.items() if f > 0), default=1.0)
    pairs, needs = pairs_and_needs(list(prep.fixed) + assignments(hours))
    spn = round(pairs / needs, 4) if needs else 0.0
    return {"fill": fill, "worst": round(worst, 4), "spn": spn, "within_cap": pairs * cap[1] <= cap[0] * needs}


def _town_hours(prep: Prepared, hours: dict[XKey, int]) -> dict[str, int]:
    """Hours per municipality, the fixed part included."""
    got: dict[str, int] = defaultdict(int)
    for a in list(prep.fixed) + assignments(hours):
        got[prep.requests[a.request].municipality] += a.hours
    return got


def score(prep: Prepared, config: PlanningConfig, hours: dict[XKey, int], fillable: dict[str, float]) -> float:
    """The plan's total of signed goal contributions (higher is better), as in the score analysis."""
    plan = list(prep.fixed) + assignments(hours)
    return sum(rs.contribution for rs in breakdown(prep, config, plan, fillable))


def tidy_and_repair(
    prep: Prepared,
    config: PlanningConfig,
    starts: list[Candidate],
    candidates: dict[NeedKey, list[str]],
    allowed: set[XKey],
    cap: tuple[int, int],
    fillable: dict[str, float],
) -> list[Candidate]:
    """The start plans tidied, trimmed to the cap where above it, and repaired towards the worst-served town."""
    pool: list[Candidate] = []
    for hours, value, name in starts:
        tidy = polish(prep, hours, candidates, config.weights)
        pool.append((tidy, value, name + "-polished"))
        if not within(prep, tidy, cap):
            trimmed = top_up(prep, trim_to_cap(prep, tidy, cap), candidates)
            pool.append((trimmed, weighted(prep, assignments(trimmed)), name + "-trimmed"))
    # the repairs share a small part of the time (in the reproducible mode their move limit bounds them)
    secs = math.inf if config.reproducible else config.repair_share * config.time_limit / max(1, len(pool))
    for hours, value, name in list(pool):
        repaired = fair_repair(prep, hours, fillable, allowed, seconds=secs)
        pool.append((repaired, value, name + "+fair"))
        inserted = fair_insert(prep, repaired, fillable, allowed)
        if inserted != repaired:
            pool.append((inserted, weighted(prep, assignments(inserted)), name + "+fair+aon"))
            if not within(prep, inserted, cap):
                trimmed = top_up(prep, trim_to_cap(prep, inserted, cap), candidates)
                pool.append((trimmed, weighted(prep, assignments(trimmed)), name + "+fair+aon-trimmed"))
    return pool
