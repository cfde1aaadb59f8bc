"""Input checks: the only place the engine raises, and only for input that makes no sense."""

from __future__ import annotations

from solver.instance import PRIORITY_WEIGHT, Instance


def check_instance(instance: Instance) -> None:
    """Raise ValueError naming the first thing in the instance that makes no sense."""
    if instance.weeks <= 0:
        raise ValueError("horizon.weeks must be positive")
    _unique("specialist", [s.id for s in instance.specialists])
    _unique("request", [r.id for r in instance.requests])
    for s in instance.specialists:
        if s.pool_hours_per_week < 0:
            raise ValueError(f"specialist {s.id}: pool_hours_per_week < 0")
        if s.kind not in ("internal", "partner"):
            raise ValueError(f"specialist {s.id}: unknown kind {s.kind!r}")
        for skill, level in s.skills:
            if not 1 <= level <= 5:
                raise ValueError(f"specialist {s.id}: level {level} of {skill} outside 1-5")
    for r in instance.requests:
        if not 0 <= r.start_week <= r.end_week < instance.weeks:
            raise ValueError(f"request {r.id}: window {r.start_week}-{r.end_week} outside the horizon")
        if r.priority not in PRIORITY_WEIGHT:
            raise ValueError(f"request {r.id}: priority {r.priority} not in 1-4")
        if r.max_hours_per_week < 0:
            raise ValueError(f"request {r.id}: max_hours_per_week < 0")
        for n in r.needs:
            if n.hours < 0:
                raise ValueError(f"request {r.id}: a need has negative hours")
    specialists = {s.id for s in instance.specialists}
    requests = {r.id: r for r in instance.requests}
    seen: set[tuple[str, int, str, int]] = set()
    for a in instance.previous_plan:
        prev_request = requests.get(a.request)
        if prev_request is None:
            raise ValueError(f"previous_plan: unknown request {a.request}")
        if not 0 <= a.need < len(prev_request.needs):
            raise ValueError(f"previous_plan: request {a.request} has no need {a.need}")
        if a.specialist not in specialists:
            raise ValueError(f"previous_plan: unknown specialist {a.specialist}")
        if not 0 <= a.week < instance.weeks or a.hours < 1:
            raise ValueError(f"previous_plan: bad week or hours for {a.request}/{a.need}/{a.specialist}")
        key = (a.request, a.need, a.specialist, a.week)
        if key in seen:
            raise ValueError(f"previous_plan: duplicate entry {key}")
        seen.add(key)


def _unique(kind: str, ids: list[str]) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate {kind} id")
