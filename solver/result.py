"""Output of the planning engine: a plan, its unmet needs with reasons, KPIs and solver figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from solver.instance import Assignment


@dataclass(frozen=True)
class UnmetNeed:
    request: str
    need: int
    hours: int  # hours not filled
    reason: str  # stable code, e.g. "capacity-taken"
    detail: str  # a sentence a team lead understands
    facts: dict[str, Any] = field(default_factory=dict)  # what the sentence says, as ids and numbers


@dataclass(frozen=True)
class Explanation:
    """A reason code and its facts (ids, weeks, hours), for a reader's own words."""

    code: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Progress:
    """One report of a running solve: the best plan so far and how far it can still improve."""

    step: str  # "fill", "balance" (a goal step after fill) or "part" (a part of the instance finished)
    seconds: float
    objective: float
    bound: float
    weighted_fill: int | None = None
    goal: str | None = None  # in the balance step, the goals of the goal step ("partner_cost", "continuity", …)


@dataclass(frozen=True)
class RuleScore:
    """One line of the score analysis: what a rule contributed to the objective."""

    rule: str
    weight: float
    value: float  # the rule's own measure (hours, euros, specialists, …)
    contribution: float  # weight × value, signed like the objective (higher is better)
    per_item: tuple[tuple[str, float], ...] = ()  # (object, value), the largest first


@dataclass(frozen=True)
class PlanResult:
    status: str
    assignments: tuple[Assignment, ...]
    unmet: tuple[UnmetNeed, ...]
    kpis: dict[str, float | int]
    solver: dict[str, Any]
    breakdown: tuple[RuleScore, ...] = ()
    frozen_weeks: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
