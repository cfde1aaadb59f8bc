"""Benchmark: every greedy order, the planner and the LP bound on generated instances of the scale ladder.

    python bench/run.py [--sizes S,M1000,M2500,L,XL] [--seed 1] [--workers 2] [--scale 1.0]

Prints one table (markdown), one row per size, each size in a process of its own (so that peak memory is its
own: the largest resident memory of that process and its children, the planner's Dask workers included,
sampled twice a second). At national scale (XL) the separate LP bound is not computed (listing the
eligibility alone takes minutes and gigabytes): the tightest bound is the planner's own, with its source.
Not a timed test: run it by hand and paste the table into the README.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import solver  # noqa: E402
from bench.memory import PeakMemory  # noqa: E402
from solver.instance import Instance  # noqa: E402
from solver.national.tables import triples_estimate  # noqa: E402

LADDER = {
    "S": ("S", None, 10.0),
    "M1000": ("M", 1000, 60.0),
    "M2500": ("M", 2500, 60.0),
    "L": ("L", None, 300.0),
    "XL": ("XL", None, 600.0),
}


def load(size: str, seed: int) -> Instance:
    from pool.generate import generate_instance
    from pool.translate import instance_from_document

    base, requests, _ = LADDER[size]
    return instance_from_document(generate_instance(base, seed, requests=requests))


def measure(fn: Any) -> tuple[Any, float]:
    t = time.monotonic()
    out = fn()
    return out, time.monotonic() - t


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (CP-SAT's threads, the fillable process)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def one(size: str, seed: int, workers: int, scale: float) -> dict[str, str]:
    """Run every greedy order, the LP bound and the planner on one generated instance; return the table row."""
    inst = load(size, seed)
    limit = LADDER[size][2] * scale
    cfg = solver.PlanningConfig(time_limit=limit, workers=workers, seed=seed)
    memory = PeakMemory()
    g, g_s = measure(lambda: solver.greedy(inst))
    national = triples_estimate(inst) >= cfg.national_triples
    lp, lp_s = (math.inf, math.nan) if national else measure(lambda: solver.lp_bound(inst))
    cpu = cpu_seconds()
    p, p_s = measure(lambda: solver.solve(inst, cfg))
    p_cpu = cpu_seconds() - cpu
    peak_mb = max(memory.stop(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"{size} planner stage seconds: {p.solver.get('stage_seconds')}", file=sys.stderr)
    for name, res in (("greedy", g), ("planner", p)):
        errors = solver.validate(inst, res.assignments)
        if errors:
            print(f"{size} {name}: INVALID {errors[:3]}", file=sys.stderr)
    pf = p.kpis["weighted_fill"]
    orders = g.solver["greedy_fills"]
    # the tightest bound proven in this run: the planner's own (LP within its time share, or CP-SAT) or the LP
    bound = min(lp, float(p.solver["bound"])) if p.solver["bound"] is not None else lp
    source = p.solver["bound_source"] if bound < lp else "lp"
    best_found = p.solver.get("best_fill_found", pf)
    return {
        "size": f"{size} ({len(inst.requests)} req, {len(inst.specialists)} spec)",
        "limit s": f"{limit:.0f}",
        "greedy fill per order": " / ".join(f"{o} {f:,}" for o, f in orders.items()),
        "planner fill": f"{pf:,}" + ("" if pf == best_found else f" (best found {best_found:,})"),
        "tightest bound (source)": f"{bound:,.0f} ({source})",
        "planner/best greedy": f"{pf / max(orders.values()):.4f}",
        "planner/bound": f"{pf / bound:.4f}",
        "fill step": _fill_step(p.solver),
        "worst share g/p": f"{g.kpis['min_municipality_fill']:.3f}/{p.kpis['min_municipality_fill']:.3f}",
        "spec/need g/p": f"{g.kpis['specialists_per_need']:.3f}/{p.kpis['specialists_per_need']:.3f}",
        "partner cost g/p": f"{g.kpis['partner_cost']:,}/{p.kpis['partner_cost']:,}",
        "seconds g/LP/p": f"{g_s:.1f}/{'-' if national else f'{lp_s:.1f}'}/{p_s:.1f}",
        "planner CPU s": f"{p_cpu:.1f}",
        "peak MB": f"{peak_mb:.0f}",
        "planner status": f"{p.status} ({p.solver['variables']:,} vars, goal steps {_goal_steps(p.solver)})",
    }


def _goal_steps(info: dict[str, Any]) -> str:
    steps = info.get("goal_steps") or {}
    return ", ".join(f"{k} {v}" for k, v in steps.items()) or "none"


def _fill_step(info: dict[str, Any]) -> str:
    """The fill step's status, with the optimum it proved."""
    if info.get("fill_optimum") is not None:
        return f"OPTIMAL at {info['fill_optimum']:,}"
    if "neighbourhoods_solved" in info:  # national scale: the fill is searched by neighbourhoods
        better, solved = info.get("neighbourhoods_improved", 0), info["neighbourhoods_solved"]
        return f"{info['fill_status']} ({better} of {solved} neighbourhoods better)"
    return str(info["fill_status"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="S,M1000,M2500,L")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the time limits (for quick tries)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.seed, args.workers, args.scale)))
        return
    rows = []
    for size in args.sizes.split(","):
        # one process per size, so that peak memory is that size's own
        cmd = [sys.executable, __file__, "--one", size, "--seed", str(args.seed)]
        cmd += ["--workers", str(args.workers), "--scale", str(args.scale)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        sys.stderr.write(out.stderr)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(" | ".join(rows[-1].values()), file=sys.stderr, flush=True)
    head = list(rows[0])
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r[h] for h in head) + " |")


if __name__ == "__main__":
    main()
