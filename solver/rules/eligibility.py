"""Eligibility: who may work on which need in which weeks, before any hours are decided.

A specialist qualifies for a need with the skill at or above its minimum level, and the partner's consultants
only where the request allows the partner and a contract exists. A qualified specialist is eligible in the
weeks of the request's window that are past the frozen weeks (and, for the partner, past its notice period),
in which the specialist has free hours left and no fixed assignment on that need already. A request a
re-plan keeps as published takes no new hours: it has no eligible weeks.
"""

from __future__ import annotations

from collections import defaultdict

from solver.instance import Instance, Specialist

NeedKey = tuple[str, int]  # (request id, need index); solver.prepared re-exports it


def eligible(
    instance: Instance,
    frozen_weeks: int,
    free: dict[tuple[str, int], int],
    fixed_cells: set[tuple[str, int, str, int]],
    kept: frozenset[str] = frozenset(),
) -> tuple[dict[NeedKey, list[str]], dict[tuple[NeedKey, str], list[int]]]:
    """Return the qualified specialists per need, and the eligible weeks per need × qualified specialist."""
    partner = instance.partner
    by_skill: dict[str, list[tuple[Specialist, int]]] = defaultdict(list)
    for s in instance.specialists:
        for skill, level in s.skills:
            by_skill[skill].append((s, level))
    qualified: dict[NeedKey, list[str]] = {}
    weeks_of: dict[tuple[NeedKey, str], list[int]] = {}
    for r in instance.requests:
        for i, n in enumerate(r.needs):
            key = (r.id, i)
            names = []
            for s, level in by_skill.get(n.skill, []):
                if level < n.min_level or (s.kind == "partner" and (partner is None or not r.allow_partner)):
                    continue
                names.append(s.id)
                if r.id in kept or r.max_hours_per_week <= 0:
                    continue
                first = max(r.start_week, frozen_weeks)
                if s.kind == "partner" and partner is not None:
                    first = max(first, partner.min_notice_weeks)
                weeks = [
                    w
                    for w in range(first, r.end_week + 1)
                    if free[s.id, w] > 0 and (r.id, i, s.id, w) not in fixed_cells
                ]
                if weeks:
                    weeks_of[key, s.id] = weeks
            qualified[key] = names
    return qualified, weeks_of
