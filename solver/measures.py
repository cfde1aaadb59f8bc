"""The plan's measures, one function each, used by the planner, the scoring, the KPIs and the benchmark.

A municipality's share is the hours it gets ÷ its fillable demand (the hours it could get with the pool to
itself, rounded to whole hours; a municipality with less than half an hour of it is left out), capped at 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from solver.instance import Assignment, Request


def weighted_fill(requests: Mapping[str, Request], plan: Iterable[Assignment]) -> int:
    """Priority-weighted hours of the assignments."""
    return sum(a.hours * requests[a.request].weight for a in plan)


def town_hours(requests: Mapping[str, Request], plan: Iterable[Assignment]) -> dict[str, int]:
    """Hours each municipality gets."""
    got: dict[str, int] = defaultdict(int)
    for a in plan:
        got[requests[a.request].municipality] += a.hours
    return got


def fillable_hours(fillable: Mapping[str, float]) -> dict[str, int]:
    """Each municipality's fillable demand in whole hours, the municipalities with none left out."""
    return {m: round(f) for m, f in fillable.items() if round(f) >= 1}


def shares(
    requests: Mapping[str, Request], plan: Iterable[Assignment], fillable: Mapping[str, float]
) -> dict[str, float]:
    """Each municipality's share of its fillable demand (0 … 1)."""
    got = town_hours(requests, plan)
    return {m: min(1.0, got.get(m, 0) / f) for m, f in fillable_hours(fillable).items()}


def worst_share(requests: Mapping[str, Request], plan: Iterable[Assignment], fillable: Mapping[str, float]) -> float:
    """The worst-served municipality's share of its fillable demand (1 when nobody has any)."""
    return min(shares(requests, plan, fillable).values(), default=1.0)


def worst_permille(
    requests: Mapping[str, Request], plan: Iterable[Assignment], fillable: Mapping[str, float], steps: int
) -> int:
    """The worst share in whole steps, rounded down: the value the fairness goal's model variable takes."""
    got = town_hours(requests, plan)
    return min([steps] + [steps * got.get(m, 0) // f for m, f in fillable_hours(fillable).items()])


def pairs_and_needs(plan: Iterable[Assignment]) -> tuple[int, int]:
    """Specialist × need pairs and needs served: specialists per need is their ratio."""
    pairs = {((a.request, a.need), a.specialist) for a in plan}
    return len(pairs), len({key for key, _ in pairs})


def specialists_per_need(plan: Iterable[Assignment]) -> float:
    """Specialists per served need (0 for an empty plan)."""
    pairs, needs = pairs_and_needs(plan)
    return pairs / needs if needs else 0.0
