"""Stage 4, the goal steps: each later goal optimised at the fill found, in policy order (lexicographic).

The model keeps the fill at the floor (the best fill found, less the configured tolerance: none by default).
Each step minimises its goals' weighted terms (on a fresh plan the later goals' terms, far lighter, break
ties) from the plan the step before left, then holds its own value (less the goal tolerance) for the steps
after it. A step ends when CP-SAT proves it optimal, stops improving, or its share of the time is spent; a
step that finds nothing leaves the plan as it was and ends the sequence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.hints import add_hints, fairness_hints
from solver.model import Term, XKey
from solver.pipeline.build import Built
from solver.pipeline.context import Run
from solver.pipeline.fill_step import FOUND, FillOutcome, values
from solver.pipeline.step_objective import Flat, least_if_reached, minimize, step_objective
from solver.plans import PlanInHand
from solver.search import ProgressReporter, make_solver
from solver.search import run as run_search


def goal_steps(run: Run, built: Built, start: PlanInHand, fill: FillOutcome, floor: int) -> list[PlanInHand]:
    """The plan after each goal step that ran, in order (the last is the best by the goals' order)."""
    pm, fixed = built.pm, run.fixed_fill()
    steps = _steps(run, built)
    if not pm.x or not steps or fill.status == "INFEASIBLE":
        return []
    pm.model.add(pm.fill_expr >= floor)  # the floor is a plan in hand's fill: the fixed part left out, as here
    if math.isfinite(fill.bound):
        pm.model.add(pm.fill_expr <= math.floor(fill.bound + 1e-6) - fixed)
    out: list[PlanInHand] = []
    statuses: dict[str, str] = {}
    flats = [Flat.of(expr) for _, expr in steps]  # once: each step's objective and check are array sums then
    for n, (name, own) in enumerate(steps):
        if run.stopped() or run.budget.expired():
            statuses[name] = "NOT_RUN"
            continue
        current = out[-1] if out else start
        if _at_best(run, built, name, current, own, flats[n]):
            statuses[name] = "OPTIMAL"  # the goals are at their best possible value already: nothing to search
            continue
        objective = step_objective(run, flats[n], flats[n + 1 :])
        status, solved = _one_step(run, built, name, objective, current, len(steps) - n)
        statuses[name] = status
        if solved is None:
            break  # no plan: the steps after it would hold nothing this one proved
        hours, value = solved.hours, solved.value(own)
        out.append(PlanInHand.from_hours(run.prep, hours, f"goal {name}"))
        pm.model.add(own <= value + math.floor(run.config.goal_tolerance * abs(value)))
    run.info["goal_steps"] = statuses
    return out


def _steps(run: Run, built: Built) -> list[tuple[str, cp_model.LinearExpr]]:
    """Each goal step's name and expression, in the run's goal order (a goal with no term here: no step)."""
    steps = []
    for group in run.goal_order:
        expr = _expr([built.terms[g] for g in group if g in built.terms])
        if expr is not None:
            steps.append(("+".join(group), expr))
    return steps


def _at_best(run: Run, built: Built, name: str, plan: PlanInHand, own: cp_model.LinearExpr, flat: Flat) -> bool:
    """Whether the step's goals are at the best value any plan can give them; if so, the model keeps them there.

    The least value their terms can take, reached by the plan; or fairness with every municipality served its
    whole fillable demand (the worst share 1, no spread).
    """
    pm, goals = built.pm, set(name.split("+"))
    least = least_if_reached(pm, flat, plan.hours)
    if least is not None:
        pm.model.add(own <= least)
        return True
    if goals == {"fairness", "fairness_spread"} and pm.fairness_vars is not None:
        steps = run.config.fairness_steps
        worst, best = pm.fairness_vars
        shares = fairness_hints(pm, plan.hours)
        if not shares or shares[worst.index] != steps or shares[best.index] != steps:
            return False
        pm.model.add(worst >= steps)
        pm.model.add(best <= steps)
        return True
    return False


def _expr(terms: list[Term]) -> cp_model.LinearExpr | None:
    if not terms:
        return None
    return cp_model.LinearExpr.weighted_sum([t.expr for t in terms], [t.weight for t in terms])


@dataclass(frozen=True)
class _Solved:
    hours: dict[XKey, int]
    solver: cp_model.CpSolver

    def value(self, expr: cp_model.LinearExprT) -> int:
        return int(self.solver.value(expr))


def _one_step(
    run: Run, built: Built, name: str, objective: Flat, start: PlanInHand, steps_left: int
) -> tuple[str, _Solved | None]:
    pm = built.pm
    add_hints(pm, start.hours)
    minimize(pm.model, objective)
    # the hint is complete and feasible: searching from it at once beats presolving the model again
    solver = make_solver(run.config, run.budget.goal_step_seconds(steps_left), presolve=False)
    rep = ProgressReporter("balance", run.budget.started, run.on_progress, pm.fill_expr, run.fixed_fill(), goal=name,
                           by_priority=pm.hours_by_priority() if run.on_progress else None)
    status = run_search(pm.model, solver, rep, run.stop, run.budget.goal_stall())
    run.info.setdefault("goal_seconds", {})[name] = round(solver.wall_time, 3)
    if status not in FOUND:
        return solver.status_name(status), None
    return solver.status_name(status), _Solved(values(pm, solver), solver)
