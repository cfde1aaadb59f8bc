"""Turn a plan into a PlanResult: KPIs from the independent validator, reasons for unmet needs, score analysis."""

from __future__ import annotations

from typing import Any

from solver.config import PlanningConfig
from solver.explain import explain_unmet
from solver.instance import Assignment
from solver.prepared import Prepared
from solver.result import PlanResult
from solver.scoring import breakdown
from solver.validate import compute_kpis


def assemble(
    prep: Prepared,
    config: PlanningConfig,
    plan: list[Assignment],
    info: dict[str, Any],
    fillable: dict[str, float],
    status: str,
) -> PlanResult:
    plan = sorted(plan, key=lambda a: (a.request, a.need, a.week, a.specialist))
    kpis = compute_kpis(prep.instance, plan, fillable, prep.frozen_weeks)
    if info.get("lp_bound") is not None:
        kpis["lp_bound"] = info["lp_bound"]
    return PlanResult(
        status=status,
        assignments=tuple(plan),
        unmet=tuple(explain_unmet(prep, plan)),
        kpis=kpis,
        solver=info,
        breakdown=breakdown(prep, config, plan, fillable),
        frozen_weeks=prep.frozen_weeks,
        extra={"fillable": fillable},
    )
