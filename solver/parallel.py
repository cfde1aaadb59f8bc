"""Planning part by part: the independent parts of an instance solved on Dask, merged into one result.

One part (the common case: the generated instances are one part, because specialists have several skills)
goes straight to `solver.planner.solve`. Several parts: the big ones run on Dask's distributed scheduler
(`solver.dask_parts`: a local cluster of at most `config.workers` processes, or the one POOL_DASK_SCHEDULER
names) with the CP-SAT workers divided among them, the tiny ones in this process meanwhile, and the plans
are merged into one PlanResult over the whole instance. A national instance goes to `solver.national`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from solver import planner
from solver.assemble import assemble
from solver.checks import check_instance
from solver.config import PlanningConfig
from solver.dask_parts import solve_bins
from solver.decompose import Part, parts_of
from solver.instance import Instance
from solver.lp_bound import fillable_by_municipality
from solver.national.solve import solve_national
from solver.national.tables import triples_estimate
from solver.pipeline.budget import TimeBudget
from solver.prepared import Prepared, prepare
from solver.result import PlanResult, Progress

TINY_PART = 2_000  # eligible need × specialist × week triples: solved in ms, not worth a process of its own
MIN_PART_SECONDS = 2.0  # below this the planner's own reserve leaves no time for the goal steps
MERGE_SHARE = 0.05  # share of the time limit kept back for the KPIs, reasons and score over the whole

_STATUS_ORDER = ("OPTIMAL", "FEASIBLE")  # anything else (INFEASIBLE, UNKNOWN) is weaker still
_STEP_ORDER = ("OPTIMAL", "FEASIBLE", "SKIPPED", "NOT_RUN")

Job = tuple[int, Part]  # (index of the part in the split, the part)


def solve(
    instance: Instance,
    config: PlanningConfig | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> PlanResult:
    """Plan the instance part by part; never raises for "no solution", only ValueError for invalid input.

    With several parts, progress reports the total weighted fill over the parts and the total of their fill
    bounds (step "part" when a part has finished).
    """
    config = config or PlanningConfig()
    check_instance(instance)
    started = time.monotonic()
    if triples_estimate(instance) >= config.national_triples:
        # listing every eligible triple alone would take minutes and gigabytes: the national planner
        return solve_national(instance, config, on_progress, stop, started)
    prep = prepare(instance, config.frozen_weeks)
    parts = parts_of(prep)
    plannable = [(i, p) for i, p in enumerate(parts) if not p.unplannable]
    if len(plannable) <= 1:
        # requests nobody can work on add nothing to the model, so the whole instance is this one part
        result = planner.solve_prepared(prep, config, TimeBudget(config, started), on_progress, stop)
        return replace(result, solver={**result.solver, "parts": len(plannable)})
    return _solve_parts(prep, parts, config, on_progress, stop, started)


def _solve_parts(
    prep: Prepared,
    parts: list[Part],
    config: PlanningConfig,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    started: float,
) -> PlanResult:
    instance = prep.instance
    big = [(i, p) for i, p in enumerate(parts) if not p.unplannable and p.size > TINY_PART]
    tiny = [(i, p) for i, p in enumerate(parts) if not p.unplannable and p.size <= TINY_PART]
    tracker = _Tracker(parts, on_progress, started)
    # the parts' fillable demand adds up to the whole's only when the split saw the same eligibility as the
    # fillable LP does (no frozen weeks, nothing pinned); otherwise the whole is computed alongside the parts
    whole_fillable: list[dict[str, float]] = []
    fillable_thread = None
    if config.frozen_weeks > 0 or any(a.pinned for a in instance.previous_plan):
        fillable_thread = threading.Thread(
            target=lambda: whole_fillable.append(fillable_by_municipality(instance)), daemon=True
        )
        fillable_thread.start()
    reserve = max(0.5, MERGE_SHARE * config.time_limit)
    deadline = time.time() + config.time_limit - reserve - (time.monotonic() - started)
    results: dict[int, PlanResult] = {}
    if big:
        results.update(_run_pool(big, tiny, config, deadline, tracker, stop))
    else:
        results.update(_solve_jobs(tiny, replace(config, workers=1), deadline, tracker.progress, stop, tracker))
    if fillable_thread is not None:
        fillable_thread.join()
        # if the thread failed, computing it here again raises its error where the caller sees it
        fillable = whole_fillable[0] if whole_fillable else fillable_by_municipality(instance)
    else:
        fillable = _merged_fillable(instance, list(results.values()))
    solved = [(parts[i], results[i]) for i in sorted(results)]
    plan = [a for _, r in solved for a in r.assignments]
    info = _merge_info(config, solved, started, stop, sum(len(p.instance.requests) for p in parts if p.unplannable))
    return assemble(prep, config, plan, info, fillable, info["status"])


def _run_pool(
    big: list[Job],
    tiny: list[Job],
    config: PlanningConfig,
    deadline: float,
    tracker: _Tracker,
    stop: threading.Event | None,
) -> dict[int, PlanResult]:
    """The big parts on Dask (solver.dask_parts), at most `config.workers` bins; the tiny ones here meanwhile."""
    processes = min(max(1, config.workers), len(big))
    child_config = replace(config, workers=max(1, config.workers // processes))
    results: dict[int, PlanResult] = {}

    def meanwhile() -> None:
        # the tiny parts here, one CP-SAT worker: they take milliseconds
        results.update(_solve_jobs(tiny, replace(config, workers=1), deadline, tracker.progress, stop, tracker))

    def finished(index: int, result: PlanResult) -> None:
        results[index] = result
        tracker.finished(index, result)

    report = tracker.progress if tracker.on_progress is not None else None
    solve_bins(_bins(big, processes), _solve_jobs, child_config, deadline, report, stop, meanwhile, finished)
    return results


def _bins(jobs: list[Job], n: int) -> list[list[Job]]:
    """Spread the parts over n processes, the largest first onto the least loaded; each bin smallest first.

    Smallest first, because a small part usually finishes early and leaves its time to the larger ones.
    """
    bins: list[list[Job]] = [[] for _ in range(n)]
    load = [0] * n
    for job in sorted(jobs, key=lambda j: (-j[1].size, j[0])):
        k = min(range(n), key=lambda b: (load[b], b))
        bins[k].append(job)
        load[k] += job[1].size
    return [sorted(b, key=lambda j: (j[1].size, j[0])) for b in bins if b]


def _solve_jobs(
    jobs: list[Job],
    config: PlanningConfig,
    deadline: float,
    report: Callable[[int, Progress], None] | None,
    stop: threading.Event | None,
    tracker: _Tracker | None = None,
) -> list[tuple[int, PlanResult]]:
    """Solve parts one after the other, each with its share of the time left."""
    out = []
    total = left = sum(p.size + 1 for _, p in jobs)
    for index, part in jobs:
        weight = part.size + 1
        if config.reproducible:
            # deterministic units, a share by size: never the clock, so the same input gives the same plan
            limit = config.time_limit * weight / total
        else:
            remaining = deadline - time.time()
            limit = min(remaining, max(MIN_PART_SECONDS, remaining * weight / left))
        left -= weight
        callback = None if report is None else partial(report, index)
        # the planner only asks is_set() and wait() of it, which a multiprocessing Event has too
        result = planner.solve(part.instance, replace(config, time_limit=max(0.1, limit)), callback, stop)
        result = _trim(result)
        if tracker is not None:
            tracker.finished(index, result)
        out.append((index, result))
    return out


def _trim(result: PlanResult) -> PlanResult:
    """Keep what the merge needs: reasons and the score analysis are redone over the whole instance."""
    return replace(result, unmet=(), breakdown=(), extra={"fillable": result.extra.get("fillable", {})})


def _merged_fillable(instance: Instance, results: list[PlanResult]) -> dict[str, float]:
    """Each municipality's fillable demand: the sum of its parts' (requests of different parts share nobody)."""
    if any("fillable" not in r.extra for r in results):
        return fillable_by_municipality(instance)
    fillable = {r.municipality: 0.0 for r in instance.requests}  # an unplannable request's town can get 0 h
    for r in results:
        for town, hours in r.extra["fillable"].items():
            fillable[town] += hours
    return fillable


class _Tracker:
    """The parts' latest weighted fill and fill bound, reported to the caller as totals over all parts."""

    def __init__(self, parts: list[Part], on_progress: Callable[[Progress], None] | None, started: float) -> None:
        self.on_progress = on_progress
        self.started = started
        self.lock = threading.Lock()
        self.fill = {i: 0 for i, p in enumerate(parts) if not p.unplannable}
        # until a part reports, its weighted demand bounds its fill
        self.bound = {
            i: float(sum(n.hours * r.weight for r in p.instance.requests for n in r.needs))
            for i, p in enumerate(parts)
            if not p.unplannable
        }
        self.done: set[int] = set()

    def progress(self, index: int, progress: Progress) -> None:
        with self.lock:
            if index in self.done:
                return  # a late report from the queue; the part's result is already counted
            if progress.weighted_fill is not None:
                self.fill[index] = progress.weighted_fill
            if progress.step == "fill":  # a goal step's bound is on its own objective, not on fill
                self.bound[index] = min(self.bound[index], progress.bound)
            self._emit(progress.step)

    def finished(self, index: int, result: PlanResult) -> None:
        with self.lock:
            self.done.add(index)
            self.fill[index] = int(result.solver.get("objective", self.fill[index]))
            if result.solver.get("bound") is not None:
                self.bound[index] = float(result.solver["bound"])
            self._emit("part")

    def _emit(self, step: str) -> None:
        if self.on_progress is None:
            return
        fill = sum(self.fill.values())
        self.on_progress(
            Progress(
                step=step,
                seconds=round(time.monotonic() - self.started, 3),
                objective=float(fill),
                bound=float(sum(self.bound.values())),
                weighted_fill=fill,
            )
        )


def _weakest(values: list[str], order: tuple[str, ...]) -> str:
    """The value furthest down `order` (unknown values are weakest of all)."""
    return max(values, key=lambda v: order.index(v) if v in order else len(order)) if values else order[0]


def _merge_info(
    config: PlanningConfig,
    solved: list[tuple[Part, PlanResult]],
    started: float,
    stop: threading.Event | None,
    unplannable: int,
) -> dict[str, Any]:
    """Solver figures of the whole: sums over the parts, the weakest status, and a line per part."""
    infos = [r.solver for _, r in solved]
    objective = sum(int(i.get("objective", 0)) for i in infos)
    bounds = [i.get("bound") for i in infos]
    bound = round(sum(float(b) for b in bounds if b is not None), 3) if None not in bounds else None
    status = _weakest([r.status for _, r in solved], _STATUS_ORDER)
    return {
        "workers": config.workers,
        "seed": config.seed,
        "mode": "reproducible" if config.reproducible else "fast",
        "parts": len(solved),
        "part_list": [
            {
                "requests": len(p.instance.requests),
                "specialists": len(p.instance.specialists),
                "status": r.status,
                "seconds": r.solver.get("seconds"),
                "objective": r.solver.get("objective"),
            }
            for p, r in solved
        ],
        "unplannable_requests": unplannable,
        "variables": sum(int(i.get("variables", 0)) for i in infos),
        "candidate_pairs": sum(int(i.get("candidate_pairs", 0)) for i in infos),
        "greedy_fill": sum(int(i.get("greedy_fill", 0)) for i in infos),
        "lp_bound": round(sum(float(i.get("lp_bound") or 0.0) for i in infos), 3),
        "status": status,
        "seconds": round(time.monotonic() - started, 3),
        "objective": objective,
        "bound": bound,
        "bound_source": ", ".join(sorted({str(i.get("bound_source")) for i in infos})) if bound is not None else "none",
        "gap": round((bound - objective) / max(1.0, bound), 6) if bound is not None else None,
        "fill_status": _weakest([str(i.get("fill_status")) for i in infos], _STEP_ORDER),
        "goals_status": _weakest([str(i.get("goals_status")) for i in infos], _STEP_ORDER),
        "plan_source": "parts",
        "stopped_early": (stop is not None and stop.is_set()) or any(bool(i.get("stopped_early")) for i in infos),
    }
