"""Pruning: which qualified specialists the model may consider for each need."""

from __future__ import annotations

from collections.abc import Iterable

from solver.prepared import NeedKey, Prepared


def select_candidates(
    prep: Prepared, per_need: int, always: Iterable[tuple[NeedKey, str]] = ()
) -> dict[NeedKey, list[str]]:
    """Keep, per need, the K specialists who could cover most of it, plus every pair in `always`.

    `always` carries the pairs of the greedy plan, of the previous plan and of the LP optimum, so that the
    model can at least reproduce the baseline, keep the published plan and reach the relaxation's choices.
    """
    forced: dict[NeedKey, set[str]] = {}
    for key, sid in always:
        if (key, sid) in prep.eligible_weeks:
            forced.setdefault(key, set()).add(sid)
    chosen: dict[NeedKey, list[str]] = {}
    for key in prep.need_keys():
        open_hours = prep.open_hours(key)
        if open_hours == 0:
            continue
        room = prep.week_room(key[0])
        free = prep.free_capacity
        need = prep.need(key)
        scored = []
        for sid in prep.qualified[key]:
            weeks = prep.eligible_weeks.get((key, sid))
            if not weeks:
                continue
            cover = min(open_hours, sum([min(free[sid, w], room[w]) for w in weeks]))
            spec = prep.specialists[sid]
            gap = spec.level(need.skill) - need.min_level
            scored.append((-cover, spec.kind == "partner", gap, sid))
        scored.sort()
        keep = [sid for *_, sid in scored[:per_need]]
        extra = sorted(forced.get(key, set()) - set(keep))
        if keep or extra:
            chosen[key] = keep + extra
    return chosen
