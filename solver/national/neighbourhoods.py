"""Large-neighbourhood search by windows of weeks: the requests starting in a block of weeks re-planned by CP-SAT,
everything else fixed.

A neighbourhood frees every hour of its requests (so all-or-nothing and the need hours stay inside it) and
keeps every other request's hours: those take their specialists' capacity and their share of the partner
budget out of the neighbourhood's model. Neighbourhoods whose week spans do not overlap share no
specialist × week, so they are solved at the same time; the partner budget's slack is split between them.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.config import PlanningConfig
from solver.greedy import greedy_assignments
from solver.hints import add_hints
from solver.lp_bound import solve_fill_lp
from solver.model import PlanModel, XKey
from solver.pipeline.fill_step import FOUND, values
from solver.plans import xkey
from solver.prepared import NeedKey, Prepared
from solver.rules import continuity, fill, registry
from solver.search import ProgressReporter, Stall, make_solver
from solver.search import run as run_search

STALL_SECONDS = 5.0  # a neighbourhood's search that found nothing better for this long ends


@dataclass(frozen=True)
class Neighbourhood:
    """The requests starting in weeks [first, first + block); `colour` groups the ones that never overlap."""

    first: int
    colour: int
    requests: frozenset[str]


def neighbourhoods(prep: Prepared, block: int, offset: int = 0) -> list[Neighbourhood]:
    """The blocks of weeks (the first `offset` weeks shorter) with their requests, coloured so that blocks of
    one colour share no week."""
    longest = max((r.end_week - r.start_week + 1 for r in prep.instance.requests), default=1)
    colours = max(2, -(-(block + longest - 1) // block))  # blocks this far apart have disjoint spans
    by_block: dict[int, set[str]] = defaultdict(set)
    for r in prep.instance.requests:
        by_block[(r.start_week + offset) // block].add(r.id)
    return [Neighbourhood(k * block - offset, k % colours, frozenset(ids)) for k, ids in sorted(by_block.items())]


def sub_prepared(
    prep: Prepared, hours: dict[XKey, int], part: Neighbourhood, partner_hours: int, previous: bool = False
) -> Prepared:
    """The neighbourhood as a Prepared of its own: its requests, the capacity the rest of the plan leaves (and,
    with `previous`, the previous plan's entries of its requests, for the stability goal)."""
    ids = part.requests
    free = dict(prep.free_capacity)
    for (key, sid, w), h in hours.items():
        if key[0] not in ids:
            free[sid, w] -= h
    instance = dataclasses.replace(
        prep.instance,
        requests=tuple(r for r in prep.instance.requests if r.id in ids),
        previous_plan=tuple(a for a in prep.instance.previous_plan if a.request in ids) if previous else (),
    )
    return dataclasses.replace(
        prep,
        instance=instance,
        requests={r.id: r for r in instance.requests},
        fixed=[a for a in prep.fixed if a.request in ids],
        free_capacity=free,
        partner_budget_left=partner_hours,
        qualified={k: v for k, v in prep.qualified.items() if k[0] in ids},
        eligible_weeks={p: w for p, w in prep.eligible_weeks.items() if p[0][0] in ids},
    )


@dataclass(frozen=True)
class Solved:
    """A neighbourhood's best plan: its hours, weighted fill and specialist × need pairs, and how it ended."""

    hours: dict[XKey, int]
    fill: int
    pairs: int
    status: str


def solve_neighbourhood(sub: Prepared, config: PlanningConfig, start: dict[XKey, int], until: float) -> Solved:
    """The neighbourhood's fullest plan by `until` (time.time()); this runs on a Dask worker.

    Its LP comes first: when the current hours reach the LP's value they are the best the neighbourhood can
    do, and nothing else runs. Otherwise the LP-guided greedy plan (when it fills more) is CP-SAT's start,
    which then maximises fill × (pairs + 1) − pairs until the time is up.
    """
    now = _fill(sub, start)
    lp = solve_fill_lp(sub, block=1, time_limit=max(0.5, (until - time.time()) / 3))
    if lp.value <= now + 1e-6 or not lp.support:
        return Solved(start, now, _pairs(start), "OPTIMAL (LP)" if lp.value <= now + 1e-6 else "LP NOT SOLVED")
    guided = {xkey(a): a.hours for a in greedy_assignments(sub, prefer=lp.support)}
    if _fill(sub, guided) > now:
        start, now = guided, _fill(sub, guided)
    pm, _ = hard_model(sub, config)
    fill.add(pm)
    continuity.add(pm)
    add_hints(pm, start)
    ys = [y for y, _ in pm.used_pairs]
    pm.model.maximize(cp_model.LinearExpr.weighted_sum([pm.fill_expr, *ys], [len(ys) + 1] + [-1] * len(ys)))
    if until - time.time() < 0.5:
        return Solved(start, now, _pairs(start), "LP-GUIDED")
    solver = make_solver(config, until - time.time(), big=True)
    # it stops at the LP's value (nothing more to find) or when it stopped improving
    target = math.floor(lp.value + 1e-6)
    rep = ProgressReporter("neighbourhood", time.monotonic(), None, pm.fill_expr, 0, target=target, scale=len(ys) + 1)
    status = run_search(pm.model, solver, rep, None, Stall(STALL_SECONDS))
    if status not in FOUND:
        return Solved(start, now, _pairs(start), "LP-GUIDED")
    found = values(pm, solver)
    return Solved(found, _fill(sub, found), _pairs(found), solver.status_name(status))


def hard_model(sub: Prepared, config: PlanningConfig) -> tuple[PlanModel, dict[NeedKey, list[str]]]:
    """The neighbourhood's model with every candidate pair and the hard rules; the candidates by need."""
    pm = PlanModel(sub, config, {})
    candidates: dict[NeedKey, list[str]] = defaultdict(list)
    for key, sid in sub.eligible_weeks:
        candidates[key].append(sid)
    pm.build_variables(dict(candidates))
    for hard in registry.HARD_RULES:
        hard.add(pm)
    return pm, dict(candidates)


def _pairs(hours: dict[XKey, int]) -> int:
    return len({(k, s) for k, s, _ in hours})


def _fill(prep: Prepared, hours: dict[XKey, int]) -> int:
    return sum(h * prep.requests[key[0]].weight for (key, _, _), h in hours.items())
