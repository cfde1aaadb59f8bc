"""The instance as arrays: free hours per specialist × week and skill levels, so a need's people are found at once.

At national scale a need has hundreds of qualified specialists and the instance ~100 million eligible
need × specialist × week triples: listing them (solver.prepared) takes minutes and gigabytes. These tables
answer the same questions as the eligibility rule (`solver.rules.eligibility`), one need at a time, with
numpy; `tests/solver/test_national.py` checks that both give the same people and weeks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from solver.instance import Instance, Request
from solver.prepared import NeedKey, Prepared, prepare


@dataclass
class Tables:
    """Arrays over the specialists in instance order (row j is `ids[j]`) and the weeks of the horizon."""

    base: Prepared  # the fixed part of the plan (free capacity, partner budget), with no eligibility listed
    ids: list[str]
    rank: np.ndarray  # position of each id in sorted order: the heuristics' last tie-break
    partner: np.ndarray  # bool per specialist
    levels: np.ndarray  # int8, specialist × skill (0: lacks it)
    skill_col: dict[str, int]
    free: np.ndarray  # int32, specialist × week: hours left after the fixed assignments
    fixed_cells: dict[NeedKey, list[tuple[int, int]]]  # (row, week) cells of a need that are fixed already

    def qualified(self, r: Request, i: int) -> np.ndarray:
        """Rows of the specialists qualified for the need (skill at level; the partner where allowed)."""
        need = r.needs[i]
        col = self.skill_col.get(need.skill)
        if col is None:
            return np.zeros(0, dtype=np.int64)
        ok = self.levels[:, col] >= need.min_level
        if self.base.instance.partner is None or not r.allow_partner:
            ok &= ~self.partner
        return np.flatnonzero(ok)

    def window_mask(self, r: Request, i: int, rows: np.ndarray) -> tuple[int, np.ndarray]:
        """(first week, bool rows × weeks) of the weeks each specialist is eligible in for the need.

        The eligible weeks are the request's window past the frozen weeks (and the partner's notice), with free
        hours left and no fixed hours on that need already; none when the request allows no hours a week.
        """
        lo = max(r.start_week, self.base.frozen_weeks)
        hi = r.end_week + 1
        mask = self.free[rows, lo:hi] > 0 if hi > lo else np.zeros((len(rows), 0), dtype=bool)
        partner = self.base.instance.partner
        if partner is not None and partner.min_notice_weeks > lo:
            mask[self.partner[rows], : partner.min_notice_weeks - lo] = False
        for row, w in self.fixed_cells.get((r.id, i), ()):
            if lo <= w < hi:
                mask[rows == row, w - lo] = False
        if r.max_hours_per_week <= 0:
            mask[:] = False
        return lo, mask

    def eligible(self, r: Request, i: int) -> tuple[np.ndarray, int, np.ndarray]:
        """The qualified rows with at least one eligible week, their first week and their week mask."""
        rows = self.qualified(r, i)
        lo, mask = self.window_mask(r, i, rows)
        keep = mask.any(axis=1)
        return rows[keep], lo, mask[keep]

    def weeks(self, r: Request, i: int, row: int) -> list[int]:
        """The eligible weeks of one qualified specialist for the need, ascending."""
        lo, mask = self.window_mask(r, i, np.array([row]))
        return [lo + int(k) for k in np.flatnonzero(mask[0])]


def build_tables(instance: Instance, frozen_weeks: int = 0) -> Tables:
    """The arrays of the instance; the fixed part of the plan comes from `solver.prepared.prepare` itself."""
    # prepared without requests: the fixed assignments, free capacity and partner budget, no eligibility
    base = prepare(dataclasses.replace(instance, requests=()), frozen_weeks)
    base = dataclasses.replace(base, instance=instance, requests={r.id: r for r in instance.requests})
    ids = [s.id for s in instance.specialists]
    row = {sid: j for j, sid in enumerate(ids)}
    skill_col = {sk.id: k for k, sk in enumerate(instance.skills)}
    for s in instance.specialists:
        for sk, _ in s.skills:
            skill_col.setdefault(sk, len(skill_col))
    levels = np.zeros((len(ids), len(skill_col)), dtype=np.int8)
    free = np.zeros((len(ids), instance.weeks), dtype=np.int32)
    for j, s in enumerate(instance.specialists):
        for sk, lvl in s.skills:
            levels[j, skill_col[sk]] = lvl
        free[j] = [base.free_capacity[s.id, w] for w in range(instance.weeks)]
    fixed_cells: dict[NeedKey, list[tuple[int, int]]] = {}
    for a in base.fixed:
        fixed_cells.setdefault((a.request, a.need), []).append((row[a.specialist], a.week))
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.argsort(np.array(ids, dtype=object), kind="stable")] = np.arange(len(ids))
    partner = np.array([s.kind == "partner" for s in instance.specialists], dtype=bool)
    return Tables(base, ids, rank, partner, levels, skill_col, free, fixed_cells)


def triples_estimate(instance: Instance) -> int:
    """Need × qualified specialist × window week, without listing them: how big the full model would be."""
    by_level: dict[str, list[int]] = {}
    for s in instance.specialists:
        for sk, lvl in s.skills:
            by_level.setdefault(sk, [0] * 7)[lvl] += 1
    total = 0
    for r in instance.requests:
        weeks = r.end_week - r.start_week + 1
        for n in r.needs:
            counts = by_level.get(n.skill, [0] * 7)
            total += weeks * sum(counts[max(0, n.min_level) :])
    return total
