"""A neighbourhood's goal steps: the goals after fill optimised lexicographically with every other hour fixed.

After the fill search, each neighbourhood (`solver.national.neighbourhoods`) is re-solved by the planner's own
goal steps (`solver.pipeline.goal_steps`, on the rule modules' terms from `solver.rules.registry`): its fill
held at least at its current value, and each municipality's hours in it held exactly as they are, so that
every municipality's share of its fillable demand — the worst, the best, the spread — stays what it is
(fairness is a goal over the whole country, which a neighbourhood cannot see). Partner cost, continuity,
stability and the preferences are then minimised in policy order. The plan comes back only when it is better
goal by goal (`key`); all those goals add up over requests, so better in the neighbourhood is better overall.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.config import PlanningConfig
from solver.model import PlanModel, Term, XKey
from solver.national.neighbourhoods import hard_model
from solver.pipeline.budget import TimeBudget
from solver.pipeline.build import Built
from solver.pipeline.choice import goal_key
from solver.pipeline.context import Run
from solver.pipeline.fill_step import FillOutcome
from solver.pipeline.goal_steps import goal_steps
from solver.plans import PlanInHand
from solver.prepared import Prepared
from solver.rules import fairness, registry


@dataclass(frozen=True)
class GoalsSolved:
    """A neighbourhood's plan after its goal steps (its start's hours when nothing better came)."""

    hours: dict[XKey, int]
    fill: int
    better: bool  # better goal by goal than the start, at a fill at least the start's
    steps: dict[str, str]  # each goal step's status


def key(run: Run, plan: PlanInHand) -> tuple[float, ...]:
    """Fill first, then each goal step's signed score in step order (higher is better)."""
    scored = goal_key(run, plan)
    return (float(plan.fill), *scored[:-1])


def improve_goals(sub: Prepared, config: PlanningConfig, start: dict[XKey, int], until: float) -> GoalsSolved:
    """The neighbourhood's goal steps until `until` (time.time()); this runs on a Dask worker."""
    seconds, quiet = max(0.5, until - time.time()), config.national_goal_stall_seconds
    # a step ends when nothing better came for `quiet` seconds (here better plans come seldom but keep
    # coming: the planner's creeping rule would end it at once); CP-SAT gets two workers even when the
    # neighbourhoods of a round share the cores, for its own neighbourhood search
    cfg = dataclasses.replace(config, time_limit=seconds, workers=max(2, config.workers), stall_min_seconds=quiet,
                              stall_share=quiet / seconds, goal_stall_window=quiet, goal_stall_share=0.0)
    run = Run(sub, cfg, TimeBudget(cfg, time.monotonic()), {})
    begin = PlanInHand.from_hours(sub, start, "neighbourhood")
    built = _build(run, begin)
    plans = goal_steps(run, built, begin, FillOutcome(begin, "FEASIBLE", math.inf, "none"), begin.fill)
    best = max([begin, *plans], key=lambda p: key(run, p))  # the first of equals: the start
    better = best is not begin and key(run, best) > key(run, begin) and best.fill >= begin.fill
    return GoalsSolved(best.hours, best.fill, better, dict(run.info.get("goal_steps", {})))


def _build(run: Run, start: PlanInHand) -> Built:
    """The neighbourhood's model: every candidate pair, the hard rules, the goals' terms but fairness's, and
    each municipality's hours held."""
    pm, candidates = hard_model(run.prep, run.config)
    terms: dict[str, Term] = {}
    for goal in registry.GOALS:
        got = None if goal is fairness else goal.add(pm)
        for term in got if isinstance(got, list) else [got] if got is not None else []:
            terms[term.rule] = term
    _hold_towns(pm, start.hours)
    return Built(pm, terms, candidates)


def _hold_towns(pm: PlanModel, hours: dict[XKey, int]) -> None:
    """Each municipality gets exactly the hours it has in the neighbourhood."""
    reqs = pm.prep.requests
    now: dict[str, int] = defaultdict(int)
    for (k, _, _), h in hours.items():
        now[reqs[k[0]].municipality] += h
    towns: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (k, _, _), v in pm.x.items():
        towns[reqs[k[0]].municipality].append(v)
    for town, xs in towns.items():
        pm.model.add(cp_model.LinearExpr.sum(xs) == now.get(town, 0))
