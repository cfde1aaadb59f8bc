"""Re-plan scenario: on a published M plan, 3 specialists fall ill for 2 weeks and 20 new requests arrive.

    python bench/replan.py [--requests 1000] [--seed 1] [--publish-seconds 30] [--frozen 2] [--time-limit 10]
                           [--urgent]

`--urgent` makes the new requests critical and three times as large (their weekly maximum too, none
all-or-nothing): some then need hours the published plan gave requests of a lower priority.

Prints the share of published assignments (after the frozen weeks) that the re-plan changed, and its time.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import solver  # noqa: E402
from solver.instance import Request  # noqa: E402


def main() -> None:
    from pool.generate import generate_instance
    from pool.translate import instance_from_document

    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--publish-seconds", type=float, default=30.0)
    ap.add_argument("--frozen", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=10.0, help="the re-plan's limit (a ceiling, not a target)")
    ap.add_argument("--urgent", action="store_true", help="new requests critical and three times as large")
    args = ap.parse_args()
    inst = instance_from_document(generate_instance("M", args.seed, requests=args.requests))
    published = solver.solve(inst, solver.PlanningConfig(time_limit=args.publish_seconds))
    rng = random.Random(args.seed)
    ill = {s.id for s in rng.sample([s for s in inst.specialists if s.kind == "internal"], 3)}
    weeks = (args.frozen + 1, args.frozen + 2)
    people = tuple(
        dataclasses.replace(s, unavailable=tuple(sorted({**dict(s.unavailable), **{w: 99 for w in weeks}}.items())))
        if s.id in ill
        else s
        for s in inst.specialists
    )
    new = tuple(
        dataclasses.replace(r, id=f"NEW{i:02d}", start_week=max(r.start_week, args.frozen))
        for i, r in enumerate(rng.sample([r for r in inst.requests if r.end_week >= args.frozen], 20))
    )
    if args.urgent:
        new = tuple(_urgent(r) for r in new)
    previous = tuple(dataclasses.replace(a, pinned=False) for a in published.assignments)
    changed = dataclasses.replace(inst, specialists=people, requests=inst.requests + new, previous_plan=previous)
    t = time.monotonic()
    again = solver.solve(changed, solver.PlanningConfig(time_limit=args.time_limit, frozen_weeks=args.frozen))
    seconds = time.monotonic() - t
    errors = solver.validate(changed, again.assignments, args.frozen)
    k = again.kpis
    print(f"valid: {not errors} {errors[:3]}")
    print(f"re-plan seconds: {seconds:.1f} of {args.time_limit:g} (status {again.status})")
    print(f"stage seconds: {again.solver.get('stage_seconds')}, goal steps: {again.solver.get('goal_steps')}")
    info = again.solver
    print(
        f"requests searched: {info.get('requests_searched')} of {len(changed.requests)}, variables"
        f" {info.get('variables')}, fill step: {info.get('fill_status')} ({info.get('fill_seconds', 0)} s),"
        f" goal seconds: {info.get('goal_seconds')}"
    )
    print(f"frozen assignments changed: {k['changed_inside_frozen']}")
    share = k["previous_changed_after_frozen"] / max(1, k["previous_after_frozen"])
    print(
        f"published assignments after the frozen weeks changed: {k['previous_changed_after_frozen']}"
        f" of {k['previous_after_frozen']} ({share:.1%})"
    )
    print(f"weighted fill before/after: {published.kpis['weighted_fill']:,} / {k['weighted_fill']:,}")


def _urgent(r: Request) -> Request:
    needs = tuple(dataclasses.replace(n, hours=3 * n.hours) for n in r.needs)
    return dataclasses.replace(
        r, priority=1, all_or_nothing=False, max_hours_per_week=3 * r.max_hours_per_week, needs=needs
    )


if __name__ == "__main__":
    main()
