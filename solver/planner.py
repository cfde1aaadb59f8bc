"""The planner: greedy start, LP guidance, then CP-SAT in lexicographic steps (fill first, then the rest)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from solver import rules
from solver.assemble import assemble
from solver.candidates import select_candidates
from solver.checks import check_instance
from solver.config import PlanningConfig
from solver.greedy import greedy_assignments
from solver.hints import add_hints
from solver.instance import Assignment, Instance
from solver.lp_bound import LpResult, fillable_by_municipality, solve_fill_lp, week_block
from solver.lp_round import lp_rounded
from solver.model import PlanModel, Term, XKey
from solver.plans import Candidate, assignments, score, summary, tidy_and_repair, weighted, within, worst_permille, xkey
from solver.prepared import prepare
from solver.result import PlanResult, Progress
from solver.rules import continuity, fill
from solver.search import ProgressReporter, make_solver, run
from solver.trim import pairs_and_needs

_FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


def solve(
    instance: Instance,
    config: PlanningConfig | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> PlanResult:
    """Plan the instance; never raises for "no solution", only ValueError for invalid input."""
    config = config or PlanningConfig()
    check_instance(instance)
    started = time.monotonic()
    prep = prepare(instance, config.frozen_weeks)
    greedy_new = greedy_assignments(prep)
    greedy_fill = weighted(prep, greedy_new)
    cap = pairs_and_needs(list(prep.fixed) + greedy_new)  # specialists per need may not exceed greedy's
    fillable = fillable_by_municipality(instance)
    g_worst = worst_permille(prep, {xkey(a): a.hours for a in greedy_new}, fillable, config)
    block = week_block(prep)
    # the LP guides candidate selection and bounds the fill; on big, tight instances GLOP can take minutes,
    # so it gets a share of the time limit and is simply left out when it does not finish
    # (a wall-clock limit would make the reproducible mode depend on the machine's speed, so it has none)
    lp_limit = None if config.reproducible else config.lp_time_share * config.time_limit
    # a re-plan keeps the published plan rather than searching for more fill, so it needs neither the LP's
    # guidance nor its bound, and its seconds go to the balance step
    replan = any(a.week >= config.frozen_weeks and not a.pinned for a in instance.previous_plan)
    if replan:
        lp = LpResult(value=math.inf)
    else:
        lp = solve_fill_lp(prep, block=block, time_limit=lp_limit, dive_rounds=config.lp_dive_rounds)
    rounded = lp_rounded(prep, lp) if math.isfinite(lp.value) else []
    rounded_fill = weighted(prep, rounded)
    guided = greedy_assignments(prep, prefer=lp.support) if lp.support else []
    guided_fill = weighted(prep, guided)
    lp_target = math.floor(lp.value + 1e-6) if math.isfinite(lp.value) else None
    # a start that is fair from the outset: the LP's best worst-municipality share among plans filling at
    # least greedy's, rounded the same way (its specialists per need are trimmed to the cap later)
    fair: list[Assignment] = []
    fair_bound = None
    fair_limit = None if lp_limit is None else 2 * lp_limit - (time.monotonic() - started)
    if lp.cells and not _stopped(stop) and (fair_limit is None or fair_limit > 0.1):
        fair_lp = solve_fill_lp(
            prep,
            block=block,
            time_limit=fair_limit,
            dive_rounds=config.lp_dive_rounds,
            worst_of=fillable,
            min_weighted=greedy_fill + weighted(prep, prep.fixed),
        )
        if math.isfinite(fair_lp.value):
            fair, fair_bound = lp_rounded(prep, fair_lp), round(fair_lp.value, 4)
    fair_fill = weighted(prep, fair)
    always = {((a.request, a.need), a.specialist) for a in greedy_new + rounded + guided + fair}
    always |= {((a.request, a.need), a.specialist) for a in instance.previous_plan}
    always |= set(lp.support)
    triples = sum(len(w) for w in prep.eligible_weeks.values())
    per_need = config.candidates_per_need if triples <= config.large_model else config.candidates_per_need_large
    candidates = select_candidates(prep, per_need, always)

    pm = PlanModel(prep, config, fillable)
    pm.build_variables(candidates)
    for hard in rules.HARD_RULES:
        hard.add(pm)
    terms: list[Term] = []
    for goal in rules.GOALS:
        got = goal.add(pm)
        if isinstance(got, list):
            terms.extend(got)
        elif got is not None:
            terms.append(got)
    fixed_fill = fill.fixed_fill(pm)
    info: dict[str, Any] = {
        "workers": config.workers,
        "seed": config.seed,
        "mode": "reproducible" if config.reproducible else "fast",
        "variables": len(pm.x),
        "candidate_pairs": sum(len(v) for v in candidates.values()),
        "greedy_fill": greedy_fill + fixed_fill,
        "lp_bound": round(lp.value, 3) if math.isfinite(lp.value) else None,
        "lp_week_block": block,
        "fairness_lp_bound": fair_bound,
        "candidates_per_need": per_need,
        "prepare_seconds": round(time.monotonic() - started, 3),
    }

    greedy_hint: dict[XKey, int] = {xkey(a): a.hours for a in greedy_new}

    def keeps_promises(c: Candidate) -> bool:
        """No more specialists per need than greedy's plan, and no municipality worse off than in it."""
        return within(prep, c[0], cap) and worst_permille(prep, c[0], fillable, config) >= g_worst

    starts = [(greedy_hint, greedy_fill, "greedy")]
    if guided_fill > greedy_fill:
        starts.append(({xkey(a): a.hours for a in guided}, guided_fill, "lp-guided"))
    if fair_fill >= greedy_fill and fair:
        starts.append(({xkey(a): a.hours for a in fair}, fair_fill, "fair-lp"))
    if rounded_fill > greedy_fill:
        starts.append(({xkey(a): a.hours for a in rounded}, rounded_fill, "lp-rounded"))
    best, best_fill, source = starts[-1]
    info["lp_rounded_fill"] = rounded_fill + fixed_fill
    fill_status = "NOT_RUN"
    balance_status = "NOT_RUN"
    fill_bound = lp.value
    bound_source = "lp"
    pool: list[Candidate] = []

    budget = max(0.0, config.time_limit - (time.monotonic() - started))
    if config.reproducible:
        budget = config.time_limit  # deterministic units; must not depend on how long preparing took
    # step 1: fill, hinted with the greedy plan. A re-plan skips it: the balance step starts from the
    # published plan (kept by greedy where it still fits) and weighs stability against fill there.
    if replan:
        fill_status = "SKIPPED"
    elif lp_target is not None and best_fill + fixed_fill >= lp_target:
        fill_status = "OPTIMAL"  # a start plan reaches the LP bound: nothing left to search for
        bound_source = f"lp (reached by the {source} plan)"
    if not _stopped(stop) and pm.x and fill_status == "NOT_RUN":
        add_hints(pm, best)
        pm.model.maximize(pm.fill_expr)
        solver = make_solver(config, budget * config.fill_time_share, big=len(pm.x) > config.light_presolve)
        # reaching the LP bound proves the fill optimal: the search stops there and the time left goes to
        # the other goals
        target = None if lp_target is None else lp_target - fixed_fill
        rep = ProgressReporter("fill", started, on_progress, pm.fill_expr, fixed_fill, fixed_fill, target=target)
        status = run(pm.model, solver, rep, stop)
        fill_status = "OPTIMAL" if rep.reached else solver.status_name(status)
        info["fill_seconds"] = round(solver.wall_time, 3)
        info["fill_deterministic_time"] = round(solver.deterministic_time, 3)
        if status in _FOUND:
            cp_bound = solver.best_objective_bound + fixed_fill
            info["fill_cp_bound"] = cp_bound
            if cp_bound < fill_bound:
                fill_bound, bound_source = cp_bound, "cp-sat"
            value = round(solver.objective_value)
            if value > best_fill:
                best, best_fill, source = _values(pm, solver), value, "fill"
                starts.append((best, best_fill, source))
        elif status == cp_model.INFEASIBLE:
            fill_status = "INFEASIBLE"
    if fill_status == "OPTIMAL" and bound_source == "lp":
        fill_bound, bound_source = best_fill + fixed_fill, "cp-sat (proven optimal)"
    info["fill_optimum"] = best_fill + fixed_fill if fill_status == "OPTIMAL" else None

    # step 2: every goal at once, fill weighted far above the rest and never below the greedy plan's, no more
    # specialists per need than greedy's; it starts from the best-scoring tidied and repaired start plan
    if not _stopped(stop) and pm.x and fill_status != "INFEASIBLE" and not replan:
        # tidying and repairing the start plans costs little next to the search, so it runs even when no time
        # is left for the balance step: the choice below then still has the best plans in hand
        tidy_started = time.monotonic()
        pool.extend(tidy_and_repair(prep, config, starts, candidates, set(pm.x), cap, fillable))
        info["pool_seconds"] = round(time.monotonic() - tidy_started, 3)
    if not _stopped(stop) and pm.x and fill_status != "INFEASIBLE":
        spent = time.monotonic() - started
        # explanations, KPIs and scoring the candidates after the search, and CP-SAT's own overshoot
        reserve = max(1.2, config.reserve_share * config.time_limit)
        rest = budget * (1 - config.fill_time_share) if config.reproducible else config.time_limit - spent - reserve
        if rest > 0.05:
            # no more specialists per need than the coordinator's plan: the cap binds the search and the choice
            if cap[1]:
                pm.model.add(continuity.cap_excess(pm, *cap) <= 0)
            if pm.fairness_vars is not None:
                pm.model.add(pm.fairness_vars[0] >= g_worst)  # no municipality worse off than in greedy's plan
            if fill_bound < float("inf"):
                pm.model.add(pm.fill_expr <= math.floor(fill_bound) - fixed_fill)
            floor = max(greedy_fill, math.ceil((1 - config.fill_tolerance) * best_fill))
            if replan:
                start = best
            else:
                capped = [c for c in pool if keeps_promises(c)]
                capped = capped or [(greedy_hint, greedy_fill, "greedy")]
                # hold the fill near its best, unless no plan in hand within the cap gets there
                floor = min(floor, max(c[1] for c in capped))
                fits = [c for c in capped if c[1] >= floor]
                start = max(fits, key=lambda c: score(prep, config, c[0], fillable))[0]
            pm.model.add(pm.fill_expr >= floor)
            info["polished_continuity"] = len({(k, sid) for (k, sid, _w) in start})
            add_hints(pm, start)
            objective = cp_model.LinearExpr.weighted_sum([t.expr for t in terms], [t.weight for t in terms])
            pm.model.minimize(objective)
            if not config.reproducible:
                rest = config.time_limit - (time.monotonic() - started) - reserve
            solver = make_solver(config, rest, big=len(pm.x) > config.light_presolve)
            rep = ProgressReporter("balance", started, on_progress, pm.fill_expr, fixed_fill, 0.0, -1.0)
            status = run(pm.model, solver, rep, stop)
            balance_status = solver.status_name(status)
            info["balance_seconds"] = round(solver.wall_time, 3)
            info["balance_deterministic_time"] = round(solver.deterministic_time, 3)
            if status in _FOUND:
                values = _values(pm, solver)
                value = int(solver.value(pm.fill_expr))
                pool.append((values, value, "balance"))
                info["balance_objective"] = solver.objective_value
                info["balance_bound"] = solver.best_objective_bound
                info["balance_fill"] = value + fixed_fill

    # the final plan is never worse than a plan already in hand: every candidate is scored the same way
    # (the goal weights of the balance step) and the best one that fills at least as much as greedy, with no
    # more specialists per need, wins (greedy's own plan is always among them)
    # (the start plans as they came count too: with little time the balance step may not have run at all)
    known = {name for _, _, name in pool}
    pool.extend(c for c in starts if c[2] not in known)
    fits = [c for c in pool if c[1] >= greedy_fill and keeps_promises(c)]
    scored = [(score(prep, config, c[0], fillable), -i, c) for i, c in enumerate(fits)]
    _, _, (best, best_fill, source) = max(scored, key=lambda t: (t[0], t[1]))
    info["candidate_scores"] = {c[2]: sc for sc, _, c in scored}
    info["candidates"] = {c[2]: summary(prep, c[0], c[1] + fixed_fill, fillable, cap) for c in pool}
    plan = list(prep.fixed) + assignments(best)
    total_fill = best_fill + fixed_fill
    if fill_status == "INFEASIBLE":
        status_name = "INFEASIBLE"
    elif not pm.x or (fill_status == "OPTIMAL" and balance_status == "OPTIMAL"):
        status_name = "OPTIMAL"  # nothing left to plan, or every goal solved to optimality
    else:
        status_name = "FEASIBLE"
    info.update(
        status=status_name,
        seconds=round(time.monotonic() - started, 3),
        objective=total_fill,
        bound=round(max(fill_bound, total_fill), 3) if math.isfinite(fill_bound) else None,
        bound_source=bound_source if math.isfinite(fill_bound) else "none",
        gap=round((fill_bound - total_fill) / max(1.0, fill_bound), 6) if math.isfinite(fill_bound) else None,
        fill_status=fill_status,
        balance_status=balance_status,
        plan_source=source,
        stopped_early=_stopped(stop),
    )
    return assemble(prep, config, plan, info, fillable, status_name)


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def _values(pm: PlanModel, solver: cp_model.CpSolver) -> dict[XKey, int]:
    solution = list(solver.response_proto.solution)
    found = ((k, solution[v.index]) for k, v in pm.x.items())
    return {k: int(h) for k, h in found if h > 0}
