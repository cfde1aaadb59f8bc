"""The CP-SAT model of one solve: the candidate pairs, every hard rule and every goal's term, built once.

The fill step and each goal step then only change the objective and add the bound the step before proved.
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.candidates import select_candidates
from solver.model import PlanModel, Term
from solver.pipeline.context import Run
from solver.pipeline.starts import Starts
from solver.prepared import NeedKey
from solver.rules import registry


@dataclass
class Built:
    pm: PlanModel
    terms: dict[str, Term]  # by goal name (fill, partner_cost, fairness, fairness_spread, …)
    candidates: dict[NeedKey, list[str]]


def build_model(run: Run, starts: Starts) -> Built:
    prep, config = run.prep, run.config
    always = {((a.request, a.need), a.specialist) for p in starts.plans for a in p.assignments()}
    always |= {((a.request, a.need), a.specialist) for a in prep.instance.previous_plan}
    always |= set(starts.lp.support)
    triples = sum(len(w) for w in prep.eligible_weeks.values())
    per_need = config.candidates_per_need if triples <= config.large_model else config.candidates_per_need_large
    candidates = select_candidates(prep, per_need, always, starts.tables)
    pm = PlanModel(prep, config, run.fillable)
    pm.build_variables(candidates)
    for hard in registry.HARD_RULES:
        hard.add(pm)
    terms: dict[str, Term] = {}
    for goal in registry.GOALS:
        got = goal.add(pm)
        for term in got if isinstance(got, list) else [got] if got is not None else []:
            terms[term.rule] = term
    run.info.update(
        variables=len(pm.x),
        candidate_pairs=sum(len(v) for v in candidates.values()),
        candidates_per_need=per_need,
        model_seconds=round(run.budget.elapsed(), 3),
    )
    return Built(pm, terms, candidates)
