"""A scenario beside the published plan: the plan page's figures and the ledger's, from the same functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pool.models import Scenario
from pool.services.exchange import published_plan
from pool.services.ledger import Flow, LedgerLine, document_flows, ledger
from pool.services.plan_figures import PlanFigures, document_figures, plan_figures
from pool.services.scenarios import scenario_document
from pool.weeks import week_start


@dataclass(frozen=True)
class LedgerPair:
    municipality: str  # CBS code; "" for the whole cooperation
    published: LedgerLine
    scenario: LedgerLine


@dataclass(frozen=True)
class ScenarioComparison:
    scenario: PlanFigures
    published: PlanFigures | None
    years: dict[int, list[LedgerPair]]  # per calendar year of the scenario's horizon: the year per municipality
    names: dict[str, str]


@dataclass(frozen=True)
class _Planned:
    """What a scenario's plan gives, read once from its (large) documents."""

    figures: PlanFigures
    flows: list[Flow]
    years: list[int]


# A scenario's plan is only replaced by planning it again (a change drops it), which sets a new planned_at.
_KEPT: dict[tuple[int, object], _Planned] = {}


def _planned(scenario: Scenario) -> _Planned | None:
    key = (scenario.id, scenario.planned_at)
    if key not in _KEPT:
        if scenario.plan is None:
            return None
        doc = scenario_document(scenario.situation, scenario.changes, check=False)  # checked when changed
        start = dt.date.fromisoformat(doc["horizon"]["start"])
        if len(_KEPT) > 20:
            _KEPT.clear()
        _KEPT[key] = _Planned(document_figures(doc, scenario.plan), document_flows(doc, scenario.plan),
                              sorted({week_start(start, w).year for w in range(doc["horizon"]["weeks"])}))
    return _KEPT[key]


def compare_with_published(session: Session, scenario: Scenario) -> ScenarioComparison | None:
    """Compare a planned scenario with the published plan; None while the scenario has no plan."""
    planned = None if scenario.planned_at is None else _planned(scenario)
    if planned is None:
        return None
    plan = published_plan(session)
    flows, years = planned.flows, planned.years
    out: dict[int, list[LedgerPair]] = {}
    names: dict[str, str] = {}
    for year in years:
        real, what_if = ledger(session, year), ledger(session, year, flows=flows)
        names = real.names
        before = {t.municipality: t for t in real.totals}
        after = {t.municipality: t for t in what_if.totals}
        out[year] = [LedgerPair(code, before.get(code, LedgerLine(str(year), code)),
                                after.get(code, LedgerLine(str(year), code)))
                     for code in sorted(before.keys() | after.keys())]
        out[year].append(LedgerPair("", real.cooperation, what_if.cooperation))
    return ScenarioComparison(planned.figures,
                              plan_figures(session, [plan.id])[plan.id] if plan else None, out, names)
