"""Exact decomposition: requests and specialists that can never meet form independent parts.

A request is linked to every specialist eligible for one of its needs in at least one week, and to every
specialist of its previous-plan entries. The partner's consultants share one budget, so they count as one
node. Every hard rule then stays inside one part: a specialist's capacity and the fixed hours on it belong to
requests of its part, a request's weekly maximum, need hours and all-or-nothing to the request's part, the
partner budget to the one part holding the partner. Fill is a sum over requests, so the parts' best plans
together are a best plan of the whole; only the fairness goal (the worst municipality) spans parts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from solver.checks import check_instance
from solver.instance import Instance, Specialist
from solver.prepared import Prepared, prepare

_PARTNER = "partner"  # the one node of all partner consultants


@dataclass(frozen=True)
class Part:
    """One independent part: its instance and how big its model is (eligible need × specialist × week)."""

    instance: Instance
    size: int

    @property
    def unplannable(self) -> bool:
        """A group of requests nobody can work on: nothing to decide, no CP-SAT needed."""
        return not self.instance.specialists


def split(instance: Instance, frozen_weeks: int = 0) -> list[Instance]:
    """Return the independent parts of the instance; requests nobody can work on come last, as one group."""
    check_instance(instance)  # prepare() would fail on unknown ids with a less helpful KeyError
    return [p.instance for p in parts_of(prepare(instance, frozen_weeks))]


def parts_of(prep: Prepared) -> list[Part]:
    """Split a prepared instance; parts in the order of their first request, the unplannable group last."""
    instance = prep.instance
    links = _Links({s.id: s.kind for s in instance.specialists})
    size: dict[str, int] = {}
    for (key, sid), weeks in prep.eligible_weeks.items():
        links.union(("r", key[0]), links.node(sid))
        size[key[0]] = size.get(key[0], 0) + len(weeks)
    # the previous plan ties too: fixed hours use the specialist's capacity, and stability compares with it
    for a in instance.previous_plan:
        links.union(("r", a.request), links.node(a.specialist))
    groups: dict[Node, list[str]] = {}
    unplannable = []
    for r in instance.requests:
        if ("r", r.id) not in links.parent:
            unplannable.append(r.id)
        else:
            groups.setdefault(links.find(("r", r.id)), []).append(r.id)
    # a specialist linked to nothing is in no part: it can take no hours and holds none
    staff: dict[Node, list[Specialist]] = {}
    for s in instance.specialists:
        if links.node(s.id) in links.parent:
            staff.setdefault(links.find(links.node(s.id)), []).append(s)
    parts = [
        _part(instance, set(rids), tuple(staff[root]), sum(size.get(r, 0) for r in rids))
        for root, rids in groups.items()
    ]
    if unplannable:
        parts.append(_part(instance, set(unplannable), (), 0))
    return parts


Node = tuple[str, str]  # ("r", request id) or ("s", specialist id); the partner's consultants are one node


class _Links:
    """Union-find over requests and the specialists eligible for them."""

    def __init__(self, kinds: dict[str, str]) -> None:
        self.kinds = kinds
        self.parent: dict[Node, Node] = {}

    def node(self, sid: str) -> Node:
        return ("s", _PARTNER) if self.kinds[sid] == "partner" else ("s", sid)

    def find(self, node: Node) -> Node:
        parent = self.parent
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while node != root:  # path compression keeps later finds short
            parent[node], node = root, parent[node]
        return root

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _part(instance: Instance, ids: set[str], people: tuple[Specialist, ...], size: int) -> Part:
    """The instance cut down to the requests `ids` and the people of their part (none: the unplannable group)."""
    has_partner = any(s.kind == "partner" for s in people)
    part = dataclasses.replace(
        instance,
        requests=tuple(r for r in instance.requests if r.id in ids),
        specialists=people,
        previous_plan=tuple(a for a in instance.previous_plan if a.request in ids) if people else (),
        partner=instance.partner if has_partner else None,
    )
    return Part(part, size)
