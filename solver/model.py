"""The variable container of the CP-SAT model: hours per need × specialist × week for the pruned pairs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.config import PlanningConfig
from solver.prepared import NeedKey, Prepared

XKey = tuple[NeedKey, str, int]  # (need, specialist, week)


@dataclass
class Term:
    """A goal's contribution: minimise weight × expr (goals to maximise carry a negative weight)."""

    rule: str
    weight: int
    expr: cp_model.LinearExprT


@dataclass
class PlanModel:
    prep: Prepared
    config: PlanningConfig
    fillable: dict[str, float]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[XKey, cp_model.IntVar] = field(default_factory=dict)
    by_need: dict[NeedKey, list[cp_model.IntVar]] = field(default_factory=lambda: defaultdict(list))
    by_pair: dict[tuple[NeedKey, str], list[cp_model.IntVar]] = field(default_factory=lambda: defaultdict(list))
    by_person_week: dict[tuple[str, int], list[cp_model.IntVar]] = field(default_factory=lambda: defaultdict(list))
    by_request_week: dict[tuple[str, int], list[cp_model.IntVar]] = field(default_factory=lambda: defaultdict(list))
    request_on: dict[str, cp_model.IntVar] = field(default_factory=dict)  # all-or-nothing switches
    ub: dict[int, int] = field(default_factory=dict)  # variable index -> upper bound
    terms: list[Term] = field(default_factory=list)
    used_pairs: list[tuple[cp_model.IntVar, tuple[NeedKey, str]]] = field(default_factory=list)
    deviation: dict[XKey, cp_model.IntVar] = field(default_factory=dict)  # stability
    fairness_vars: tuple[cp_model.IntVar, cp_model.IntVar] | None = None
    fill_expr: cp_model.LinearExprT = 0

    def build_variables(self, candidates: dict[NeedKey, list[str]]) -> None:
        prep, free = self.prep, self.prep.free_capacity
        for key, sids in candidates.items():
            rid = key[0]
            open_hours = prep.open_hours(key)
            room = prep.week_room(rid)
            for sid in sids:
                for w in prep.eligible_weeks.get((key, sid), ()):
                    ub = min(free[sid, w], room[w], open_hours)
                    if ub <= 0:
                        continue
                    v = self.model.new_int_var(0, ub, "")
                    self.x[key, sid, w] = v
                    self.ub[v.index] = ub
                    self.by_need[key].append(v)
                    self.by_pair[key, sid].append(v)
                    self.by_person_week[sid, w].append(v)
                    self.by_request_week[rid, w].append(v)

    def hours_by_priority(self) -> dict[int, tuple[cp_model.LinearExprT, int]]:
        """Per request priority: the model's hours as an expression, and the fixed hours beside them."""
        xs: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for key, v in self.x.items():
            xs[self.prep.requests[key[0][0]].priority].append(v)
        fixed: dict[int, int] = defaultdict(int)
        for a in self.prep.fixed:
            fixed[self.prep.requests[a.request].priority] += a.hours
        return {p: (cp_model.LinearExpr.sum(xs.get(p, [])), fixed.get(p, 0)) for p in sorted(xs.keys() | fixed.keys())}

    def need_hours(self, key: NeedKey) -> cp_model.LinearExprT:
        """Hours planned for a need by the model, fixed assignments not included."""
        return cp_model.LinearExpr.sum(self.by_need.get(key, []))

    def upper(self, xs: list[cp_model.IntVar]) -> int:
        return sum(self.ub[v.index] for v in xs)
