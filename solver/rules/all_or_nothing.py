"""Hard rule: an all-or-nothing request gets every need completely, or nothing at all."""

from __future__ import annotations

from solver.model import PlanModel


def add(pm: PlanModel) -> None:
    prep = pm.prep
    for r in prep.instance.requests:
        if not r.all_or_nothing:
            continue
        keys = [(r.id, i) for i in range(len(r.needs))]
        fixed = sum(prep.fixed_need_hours.get(k, 0) for k in keys)
        if fixed > 0:
            # hours already fixed cannot be taken back; completing it may no longer be possible, so the
            # request is filled as far as it goes (need_hours bounds it) and the validator excuses it
            continue
        on = pm.model.new_bool_var(f"on_{r.id}")
        pm.request_on[r.id] = on
        for k in keys:
            if pm.prep.need(k).hours == 0:
                continue
            pm.model.add(pm.need_hours(k) == prep.open_hours(k) * on)
