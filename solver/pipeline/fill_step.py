"""Stage 2, the fill step: CP-SAT maximises priority-weighted fill alone, from the fullest start plan.

It stops as soon as the fill is proven optimal: a plan reaching the LP bound (before the search, or during
it), CP-SAT's own proof, or when it stops improving. The best fill found in the run is the floor every later
step keeps.
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
    target = math.floor(bound + 1e-6) if math.isfinite(bound) else None
    if run.replan:
        # the goal steps start from the published plan, kept by greedy where it still fits
        return FillOutcome(best, "SKIPPED", bound, "lp" if target is not None else "none")
    if target is not None and best.fill + fixed >= target:
        return FillOutcome(best, "OPTIMAL", bound, f"lp (reached by the {best.source} plan)")
    pm = built.pm
    if not pm.x or run.stopped() or run.budget.expired():
        return FillOutcome(best, "NOT_RUN", bound, "lp" if target is not None else "none")
    add_hints(pm, best.hours)
    pm.model.maximize(pm.fill_expr)
    solver = make_solver(run.config, run.budget.fill_seconds(), big=len(pm.x) > run.config.light_presolve)
    rep = ProgressReporter(
        "fill",
        run.budget.started,
        run.on_progress,
        pm.fill_expr,
        fixed,
        fixed,
        target=None if target is None else target - fixed,
    )
    status = run_search(pm.model, solver, rep, run.stop, run.budget.stall_seconds())
    run.info["fill_seconds"] = round(solver.wall_time, 3)
    run.info["fill_deterministic_time"] = round(solver.deterministic_time, 3)
    if status == cp_model.INFEASIBLE:
        return FillOutcome(best, "INFEASIBLE", bound, "none")
    if status not in FOUND:
        return FillOutcome(best, solver.status_name(status), bound, "lp" if target is not None else "none")
    plan = None
    if round(solver.objective_value) > best.fill:
        plan = best = PlanInHand(values(pm, solver), round(solver.objective_value), "fill")
    cp_bound = solver.best_objective_bound + fixed
    source = "lp"
    if cp_bound < bound:
        bound, source = cp_bound, "cp-sat"
    proven = rep.reached or status == cp_model.OPTIMAL
    if proven:
        bound, source = best.fill + fixed, "cp-sat (proven optimal)" if not rep.reached else "lp (reached by cp-sat)"
    return FillOutcome(best, "OPTIMAL" if proven else "FEASIBLE", bound, source, plan)


def values(pm: PlanModel, solver: cp_model.CpSolver) -> dict[XKey, int]:
    """The hours of the solver's best solution."""
    solution = list(solver.response_proto.solution)
    found = ((k, solution[v.index]) for k, v in pm.x.items())
    return {k: int(h) for k, h in found if h > 0}
