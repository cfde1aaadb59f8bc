"""Stage 2, the fill step: CP-SAT maximises priority-weighted fill alone, from the fullest start plan.

It stops as soon as the fill is proven optimal: a plan reaching the LP bound (before the search, or during
it), CP-SAT's own proof, or when it stops improving. The best fill found in the run is the floor every later
step keeps. A re-plan runs it only when a searched request is short of hours in the fullest start plan
(solver.pipeline.untouched), on fill alone: the stability step then keeps as much of the published plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.hints import add_hints
from solver.model import PlanModel, XKey
from solver.pipeline.build import Built
from solver.pipeline.context import Run
from solver.pipeline.starts import Starts
from solver.pipeline.untouched import open_cells
from solver.plans import PlanInHand
from solver.search import ProgressReporter, make_solver
from solver.search import run as run_search

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(frozen=True)
class FillOutcome:
    best: PlanInHand  # the fullest plan of the run so far
    status: str  # OPTIMAL (proven), FEASIBLE, SKIPPED (a re-plan), NOT_RUN, INFEASIBLE, UNKNOWN
    bound: float  # an upper bound on the fill (fixed part included); inf when none is known
    bound_source: str
    plan: PlanInHand | None = None  # the fill step's own plan, when it found a fuller one than the starts


def fill_step(run: Run, built: Built, starts: Starts) -> FillOutcome:
    fixed = run.fixed_fill()
    best = max(starts.plans, key=lambda p: p.fill)  # the first of equals: a greedy order before the LP's
    bound = starts.lp.value
    target = math.floor(bound + 1e-6) - fixed if math.isfinite(bound) else None
    lp_source = "lp" if target is not None else "none"
    if run.replan and not open_cells(run.prep, best, run.prep.requests.keys() - run.prep.kept):
        # no searched request is short of hours: the goal steps start from the published plan, kept by greedy
        return FillOutcome(best, "SKIPPED", bound, lp_source)
    if target is not None and best.fill >= target:
        return FillOutcome(best, "OPTIMAL", bound, f"lp (reached by the {best.source} plan)")
    pm = built.pm
    if not pm.x or run.stopped() or run.budget.expired():
        return FillOutcome(best, "NOT_RUN", bound, lp_source)
    solver, rep, status = _search(run, built, best, target)
    if status == cp_model.INFEASIBLE:
        return FillOutcome(best, "INFEASIBLE", bound, "none")
    if status not in FOUND:
        return FillOutcome(best, solver.status_name(status), bound, lp_source)
    found = PlanInHand(values(pm, solver), int(solver.value(pm.fill_expr)), "fill")
    plan = found if found.fill >= best.fill else None  # at equal fill too: it has fewer pairs
    best = plan if plan is not None and found.fill > best.fill else best
    if rep.reached:
        return FillOutcome(best, "OPTIMAL", bound, f"lp (reached by the {best.source} plan)", plan)
    if status == cp_model.OPTIMAL:
        return FillOutcome(best, "OPTIMAL", best.fill + fixed, "cp-sat (proven optimal)", plan)
    # fill × scale − pairs ≤ the objective's bound, and fewer pairs than scale: fill < bound ÷ scale + 1
    cp_bound = math.floor(solver.best_objective_bound / rep.scale + 1) + fixed
    if cp_bound < bound:
        return FillOutcome(best, "FEASIBLE", cp_bound, "cp-sat", plan)
    return FillOutcome(best, "FEASIBLE", bound, lp_source, plan)


def _search(
    run: Run, built: Built, start: PlanInHand, target: int | None
) -> tuple[cp_model.CpSolver, ProgressReporter, cp_model.CpSolverStatus]:
    """Maximise fill × (pairs + 1) − pairs: fill first, exactly, then few specialist × need pairs (a re-plan's
    fill alone: its small model proves that at once, and stability comes next)."""
    pm, fixed = built.pm, run.fixed_fill()
    add_hints(pm, start.hours)
    pairs = [] if run.replan else [y for y, _ in pm.used_pairs]
    pm.model.maximize(cp_model.LinearExpr.weighted_sum([pm.fill_expr, *pairs], [len(pairs) + 1] + [-1] * len(pairs)))
    solver = make_solver(run.config, run.budget.fill_seconds(), big=len(pm.x) > run.config.light_presolve)
    scale = len(pairs) + 1
    rep = ProgressReporter(
        "fill", run.budget.started, run.on_progress, pm.fill_expr, fixed, fixed, target=target, scale=scale,
        by_priority=pm.hours_by_priority() if run.on_progress else None,
    )
    status = run_search(pm.model, solver, rep, run.stop, run.budget.fill_stall())
    run.info["fill_seconds"] = round(solver.wall_time, 3)
    run.info["fill_deterministic_time"] = round(solver.deterministic_time, 3)
    return solver, rep, status


def values(pm: PlanModel, solver: cp_model.CpSolver) -> dict[XKey, int]:
    """The hours of the solver's best solution."""
    solution = list(solver.response_proto.solution)
    found = ((k, solution[v.index]) for k, v in pm.x.items())
    return {k: int(h) for k, h in found if h > 0}
