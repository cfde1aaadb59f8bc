"""Robustness: greedy and the planner on generated instances of other seeds; every plan validated.

    python bench/seeds.py --size S --seeds 2,3,4                 # 10 s each
    python bench/seeds.py --size M --requests 1000 --seeds 2 --time-limit 60

Prints one line per seed: greedy vs planner weighted fill, worst municipality's share of its fillable demand,
specialists per need, the planner's seconds and the fill optimum it proved (if any). Not a timed test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import solver  # noqa: E402


def main() -> None:
    from pool.generate import generate_instance
    from pool.translate import instance_from_document

    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="S")
    ap.add_argument("--requests", type=int, default=None)
    ap.add_argument("--seeds", default="2,3,4")
    ap.add_argument("--time-limit", type=float, default=10.0)
    args = ap.parse_args()
    for seed in (int(s) for s in args.seeds.split(",")):
        inst = instance_from_document(generate_instance(args.size, seed, requests=args.requests))
        g = solver.greedy(inst)
        p = solver.solve(inst, solver.PlanningConfig(time_limit=args.time_limit))
        valid = not solver.validate(inst, g.assignments) and not solver.validate(inst, p.assignments)
        gk, pk = g.kpis, p.kpis
        print(
            f"{args.size} seed {seed}: valid {valid}; fill {gk['weighted_fill']:,} / {pk['weighted_fill']:,}; "
            f"worst town {gk['min_municipality_fill']:.3f} / {pk['min_municipality_fill']:.3f}; "
            f"spec/need {gk['specialists_per_need']:.3f} / {pk['specialists_per_need']:.3f}; "
            f"{p.solver['seconds']:.1f} s; fill optimum {p.solver.get('fill_optimum')}",
            flush=True,
        )


if __name__ == "__main__":
    main()
