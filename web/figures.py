"""The rows of a figures table: one plan's figures beside another's, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import format_decimal, lazy_gettext

from pool.services.plan_figures import PlanFigures
from web.i18n import PRIORITY, percent

REASON_LABEL = {
    "no-eligible-specialist": lazy_gettext("nobody qualified"),
    "window-too-short": lazy_gettext("window too short"),
    "no-hours-in-window": lazy_gettext("no pool hours in the window"),
    "all-or-nothing-not-reachable": lazy_gettext("all-or-nothing not reachable"),
    "partner-budget-exhausted": lazy_gettext("partner budget used up"),
    "capacity-taken": lazy_gettext("hours taken by other requests"),
    "weekly-maximum-reached": lazy_gettext("weekly maximum reached"),
    "not-reached": lazy_gettext("not reached by the planner"),
}


@dataclass(frozen=True)
class FigureRow:
    label: str
    first: str
    second: str  # "" without a second plan
    difference: str  # first minus second, "" without a second plan
    group: bool = False  # a heading row


def _number(n: float) -> str:
    return format_decimal(n, "#,##0.##")


def _signed(n: float, fmt: Callable[[float], str]) -> str:
    if abs(n) < 1e-9:
        return "0"
    return ("+" if n > 0 else "−") + fmt(abs(n))


def figure_rows(first: PlanFigures, second: PlanFigures | None) -> list[FigureRow]:
    """Return the figures of a plan (and of another, with the difference) as table rows."""
    rows: list[FigureRow] = []

    def add(label: object, get: Callable[[PlanFigures], float], fmt: Callable[[float], str] = _number,
            diff: Callable[[float], str] | None = None) -> None:
        a = get(first)
        b = get(second) if second is not None else None
        rows.append(FigureRow(str(label), fmt(a), fmt(b) if b is not None else "",
                              _signed(a - b, diff or fmt) if b is not None else ""))

    add(lazy_gettext("Weighted fill (hours × priority weight)"), lambda f: f.weighted_fill)
    add(lazy_gettext("Hours filled"), lambda f: f.filled_hours)
    add(lazy_gettext("Share of the demand filled"), lambda f: f.fill_share, percent)
    rows.append(FigureRow(str(lazy_gettext("Hours filled by priority")), "", "", "", group=True))
    priorities = sorted(set(first.demand_by_priority) | set(second.demand_by_priority if second else ()))
    for p in priorities:
        add(PRIORITY[p], _filled_at(p))
    add(lazy_gettext("Partner hours"), lambda f: f.partner_hours)
    add(lazy_gettext("Partner cost (€)"), lambda f: f.partner_cost)
    add(lazy_gettext("Worst municipality's share of its demand"), lambda f: f.worst_share, percent)
    rows.append(FigureRow(str(lazy_gettext("Worst-served municipality")), first.worst_municipality or "–",
                          (second.worst_municipality or "–") if second else "", ""))
    add(lazy_gettext("Specialists per need"), lambda f: f.specialists_per_need, lambda x: format_decimal(x, "0.000"))
    rows.append(FigureRow(str(lazy_gettext("Unmet hours by reason")), "", "", "", group=True))
    reasons = list(first.unmet_by_reason) + [r for r in (second.unmet_by_reason if second else {})
                                             if r not in first.unmet_by_reason]
    for r in reasons:
        add(REASON_LABEL.get(r, r), _unmet_for(r))
    add(lazy_gettext("Assignments (specialist × need × week)"), lambda f: f.assignments)
    return rows


def _filled_at(priority: int) -> Callable[[PlanFigures], float]:
    return lambda f: f.filled_by_priority.get(priority, 0)


def _unmet_for(reason: str) -> Callable[[PlanFigures], float]:
    return lambda f: f.unmet_by_reason.get(reason, 0)
