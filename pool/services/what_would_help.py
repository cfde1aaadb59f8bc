"""What would help most: extra capacity ranked by the priority-weighted demand it fills that no plan can fill now.

The situation is the published plan's (the current one, the plan in force as the previous plan, its pinned
hours kept), and the demand priced is what the fill LP of that situation leaves unfilled: demand the published
plan leaves unmet that a re-plan could fill with today's capacity needs no extra. `solver.what_helps` prices
training, extra pool hours and a bigger partner budget with the fill LP's dual values and confirms the best
entries by solving that LP again with the change.
Each entry becomes a what-if scenario with one button; planning it with the run job re-plans in full.

The ranking takes a few LP solves (minutes on an L cooperation), so it is worked out once per published plan and
state of the data, in a thread of its own, and kept: every change of a request, specialist, leave or contract
leaves an audit event, and the newest event's id is part of the key.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pool.services.audit import latest_event
from pool.services.exchange import export_instance, published_plan
from pool.translate import instance_from_document
from solver.what_helps import what_helps

EXTRA_HOURS_PER_WEEK = 4
TOP = 15
CONFIRMED = 3


@dataclass(frozen=True)
class Help:
    kind: str  # "skill-level", "more-hours" or "partner-budget": the scenario change that tries it
    specialist: str  # code, "" for the partner budget
    specialist_name: str
    skill: str  # code, "" unless skill-level
    skill_name: str
    level: int  # the level trained to, 0 unless skill-level
    hours: int  # the scenario change's hours: extra pool hours a week, or the new partner budget
    extra: int  # extra pool hours a week, or extra partner budget hours; 0 for training
    estimate_hours: int  # unmet hours it fills, by the duals
    estimate: int  # weighted fill it adds, by the duals
    confirmed_hours: int | None  # the same, by solving the fill LP again with it
    confirmed: int | None


log = logging.getLogger(__name__)

Key = tuple[int, object, int]
_KEPT: dict[Key, list[Help]] = {}
_BUSY: dict[Key, threading.Thread] = {}
_LOCK = threading.Lock()


def what_would_help(session: Session, wait: bool = True) -> list[Help] | None:
    """Rank extra capacity by the weighted unmet demand it would fill, best first; [] without a published plan.

    With `wait=False`, None while a thread works the ranking out (started here when none is at it yet).
    """
    plan = published_plan(session)
    if plan is None:
        return []
    key = (plan.id, plan.created_at, latest_event(session))
    with _LOCK:
        if key in _KEPT:
            return _KEPT[key]
        if not wait:
            if key not in _BUSY:
                _BUSY[key] = threading.Thread(target=_work, args=(session.get_bind(), key), daemon=True)
                _BUSY[key].start()
            return None
    _keep(key, _rank(session))
    return _KEPT[key]


def wait_for_work(timeout: float = 60.0) -> None:
    """Wait for the threads still working out a ranking: call it before the engine they use is disposed (a
    thread whose connection outlived its pool left that connection to the garbage collector, never closed)."""
    with _LOCK:
        busy = list(_BUSY.values())
    for thread in busy:
        thread.join(timeout)


def _keep(key: Key, found: list[Help]) -> None:
    with _LOCK:
        _KEPT.clear()  # only the newest situation is asked for
        _KEPT[key] = found


def _work(bind: object, key: Key) -> None:
    try:
        assert isinstance(bind, Engine)
        with Session(bind) as session:
            _keep(key, _rank(session))
    except Exception:  # the next visit tries again; the log says why this one failed
        log.exception("working out what would help failed")
    finally:
        with _LOCK:
            _BUSY.pop(key, None)


def _rank(session: Session) -> list[Help]:
    instance = instance_from_document(export_instance(session), check=False)
    people = {s.id: s.name for s in instance.specialists}
    skills = {s.id: s.name for s in instance.skills}
    budget = instance.partner.budget_hours if instance.partner else 0
    out = []
    for h in what_helps(instance, EXTRA_HOURS_PER_WEEK, top=TOP,
                        confirm=CONFIRMED):
        out.append(Help(
            h.kind, h.specialist, people.get(h.specialist, ""), h.skill, skills.get(h.skill, ""), h.level,
            budget + h.extra if h.kind == "partner-budget" else h.extra, h.extra,
            round(h.estimate_hours), round(h.estimate),
            None if h.confirmed_hours is None else round(h.confirmed_hours),
            None if h.confirmed is None else round(h.confirmed)))
    return out
