"""Benchmark at national scale: the greedy orders, the planner and the simple bound on the XL instance.

    python bench/national.py [--size XL] [--seed 1] [--time-limit 600] [--workers 2] [--reference]

Each measurement runs in a process of its own; peak memory is the largest total resident memory of that
process and all its children (the Dask workers included), sampled twice a second. The greedy orders are
`solver.national.greedy` (the same plans as `solver.greedy`, see tests/solver/test_national.py); with
`--reference`, `solver.greedy` itself runs as well (at XL it takes about half an hour: it lists ~100 million
eligible triples). Not a timed test: run it by hand and paste the table into the README.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import solver  # noqa: E402
from bench.memory import PeakMemory  # noqa: E402
from solver.instance import Instance  # noqa: E402


def load(size: str, seed: int) -> Instance:
    from pool.generate import generate_instance
    from pool.translate import instance_from_document

    return instance_from_document(generate_instance(size, seed))


def planner(inst: Instance, seed: int, limit: float, workers: int) -> dict[str, Any]:
    cfg = solver.PlanningConfig(time_limit=limit, workers=workers, seed=seed)
    memory = PeakMemory()
    started = time.monotonic()
    result = solver.solve(inst, cfg)
    seconds = time.monotonic() - started
    peak = memory.stop()
    t = time.monotonic()
    errors = solver.validate(inst, result.assignments)
    info = result.solver
    return {
        "fill": result.kpis["weighted_fill"],
        "greedy_fills": info["greedy_fills"],
        "bound": info["bound"],
        "seconds": round(seconds, 1),
        "peak_mb": round(peak),
        "valid": not errors,
        "validate_seconds": round(time.monotonic() - t, 1),
        "stages": info.get("stage_seconds", {}),
        "neighbourhoods": f"{info.get('neighbourhoods_improved', 0)} better of {info.get('neighbourhoods_solved', 0)}",
        "worst_share": result.kpis["min_municipality_fill"],
        "spec_per_need": result.kpis["specialists_per_need"],
        "partner_cost": result.kpis["partner_cost"],
        "goals_status": info.get("goals_status"),
        "goal_neighbourhoods": f"{info.get('goal_neighbourhoods_improved', 0)} better of "
        f"{info.get('goal_neighbourhoods_solved', 0)}",
        "goal_steps": info.get("goal_steps", {}),
    }


def greedy(inst: Instance, reference: bool) -> dict[str, Any]:
    from solver.greedy import GREEDY_ORDERS
    from solver.measures import weighted_fill
    from solver.national.greedy import national_greedy
    from solver.national.prepare import start_prepare
    from solver.national.tables import build_tables

    memory = PeakMemory()
    started = time.monotonic()
    tables = build_tables(inst)
    prep = start_prepare(tables)
    fills = {o: weighted_fill(prep.requests, national_greedy(tables, prep, o)) for o in GREEDY_ORDERS}
    out: dict[str, Any] = {"fills": fills, "seconds": round(time.monotonic() - started, 1)}
    out["peak_mb"] = round(memory.stop())
    if reference:
        memory, started = PeakMemory(), time.monotonic()
        base = solver.greedy(inst)
        out["reference"] = {"fill": base.kpis["weighted_fill"], "seconds": round(time.monotonic() - started, 1)}
        out["reference"]["peak_mb"] = round(memory.stop())
    return out


def row(size: str, inst: Instance, g: dict[str, Any], p: dict[str, Any], loads: str) -> dict[str, str]:
    best = max(g["fills"].values())
    ref = g.get("reference")
    return {
        "size": f"{size} ({len(inst.requests)} req, {len(inst.specialists)} spec, {inst.weeks} wk)",
        "greedy fill per order": " / ".join(f"{o} {f:,}" for o, f in g["fills"].items()),
        "solver.greedy (reference)": f"{ref['fill']:,} ({ref['seconds']:.0f} s, {ref['peak_mb']:,} MB)" if ref else "-",
        "planner fill": f"{p['fill']:,}",
        "planner/best greedy": f"{p['fill'] / best:.5f}",
        "simple bound": f"{p['bound']:,}",
        "planner/bound": f"{p['fill'] / p['bound']:.4f}",
        "valid": str(p["valid"]),
        "neighbourhoods": p["neighbourhoods"],
        "worst share / spec per need / partner cost": f"{p['worst_share']:.3f} / {p['spec_per_need']:.3f} / "
        f"{p['partner_cost']:,}",
        "seconds greedy/planner": f"{g['seconds']:.0f}/{p['seconds']:.0f}",
        "peak MB greedy/planner": f"{g['peak_mb']:,}/{p['peak_mb']:,}",
        "load avg": loads,
    }


def child(args: argparse.Namespace) -> None:
    inst = load(args.size, args.seed)
    if args.child == "planner":
        out = planner(inst, args.seed, args.time_limit, args.workers)
    else:
        out = greedy(inst, args.reference)
    print(json.dumps(out))


def run_child(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, "--size", args.size, "--seed", str(args.seed)]
    cmd += ["--time-limit", str(args.time_limit), "--workers", str(args.workers)]
    cmd += ["--reference"] if args.reference else []
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="XL")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reference", action="store_true", help="run solver.greedy itself too (slow at XL)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    before = "/".join(f"{x:.1f}" for x in psutil.getloadavg())
    g = run_child("greedy", args)
    p = run_child("planner", args)
    loads = before + " → " + "/".join(f"{x:.1f}" for x in psutil.getloadavg())
    r = row(args.size, load(args.size, args.seed), g, p, loads)
    print(json.dumps({"greedy": g, "planner": p}), file=sys.stderr)
    print("| " + " | ".join(r) + " |")
    print("|" + "---|" * len(r))
    print("| " + " | ".join(r.values()) + " |")


if __name__ == "__main__":
    main()
