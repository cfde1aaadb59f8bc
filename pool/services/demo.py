"""A believable demo cooperation: generated region, requests in every status, accounts per role."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.errors import PoolError
from pool.generate import generate_instance
from pool.models import Contribution, Cooperation, Municipality, Request, Specialist, User
from pool.security import hash_password
from pool.services.exchange import import_instance
from pool.services.planning import plan_situation, publish_plan
from pool.services.transaction import transaction
from pool.weeks import coming_monday, monday, week_index

PASSWORDS = {"coordinator": "coordinator-demo", "team_lead": "teamlead-demo", "specialist": "specialist-demo"}
# Share of the generated requests that the demo moves out of "approved", to show every status.
STATUS_SHARE = (("draft", 0.06), ("submitted", 0.08), ("rejected", 0.03), ("cancelled", 0.03), ("done", 0.04))
SPECIALIST_ACCOUNTS = 10
# How the usernames of a role are made, said when there are too many to list.
PATTERNS = {"coordinator": "coordinator", "team_lead": "tl- and the CBS code of the municipality in lower case",
            "specialist": "the specialist's code in lower case"}


@dataclass
class DemoSummary:
    size: str
    seed: int
    counts: dict[str, int]
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, who)

    def describe(self, listed: int = 30) -> str:
        """Say what the demo holds and every account; a role with more than `listed` accounts by its pattern."""
        lines = [
            f"demo cooperation of size {self.size} (seed {self.seed}): "
            + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.counts.items()),
            "accounts (username / password / who):",
        ]
        for role, password in PASSWORDS.items():
            mine = [a for a in self.accounts if a[1] == password]
            if len(mine) > listed:
                lines.append(f"  {len(mine)} {role.replace('_', ' ')} accounts, password {password}: {PATTERNS[role]},"
                             f" e.g. {mine[0][0]} ({mine[0][2]})")
            else:
                lines += [f"  {u:<14} {p:<18} {who}" for u, p, who in mine]
        return "\n".join(lines)


def load_demo(session: Session, size: str = "S", seed: int = 1, requests: int | None = None,
              start: dt.date | None = None) -> DemoSummary:
    """Fill an empty database with a generated cooperation whose horizon starts at `start` (default: the coming
    Monday, so that today's figures are not empty); refuse a database that holds one."""
    if session.scalar(select(func.count()).select_from(Cooperation)):
        raise PoolError("the database already holds a cooperation; `pool demo` only fills an empty one")
    today = dt.date.today()
    doc = generate_instance(size, seed, requests, start or coming_monday(today))
    counts = import_instance(session, doc, actor="demo")
    rng = random.Random(seed)
    with transaction(session):
        session.execute(select(Cooperation)).scalar_one().name = f"Demo-samenwerking ({size})"
        # The partners committed their hours before the horizon opens: "pool hours per week now" is not 0.
        for c in session.scalars(select(Contribution)):
            c.valid_from = min(c.valid_from, monday(today))
        _spread_statuses(session, rng)
        accounts = _accounts(session)
    # A plan in force, so that team leads and specialists have something to look at from the start.
    plan = plan_situation(session, method="greedy", actor="demo", name="Demo plan (greedy baseline)")
    publish_plan(session, plan.id, actor="demo", reason="demo data")
    return DemoSummary(size, seed, {k: v for k, v in counts.items() if k != "previous_plan"}, accounts)


def _spread_statuses(session: Session, rng: random.Random) -> None:
    coop = session.execute(select(Cooperation)).scalar_one()
    requests = list(session.scalars(select(Request).order_by(Request.id)))
    rng.shuffle(requests)
    at = 0
    for status, share in STATUS_SHARE:
        chosen = requests[at : at + max(1, round(share * len(requests)))]
        at += len(chosen)
        for r in chosen:
            r.status = status
            if status == "rejected":
                r.status_reason = "Valt buiten de afspraken van de samenwerking; vraag de eigen leverancier."
            elif status == "cancelled":
                r.status_reason = "Project uitgesteld tot volgend jaar."
            elif status == "done":
                # Finished work lies before the horizon.
                shift = dt.timedelta(weeks=week_index(coop.horizon_start, r.last_week) + 2)
                r.first_week, r.last_week = r.first_week - shift, r.last_week - shift


def _accounts(session: Session) -> list[tuple[str, str, str]]:
    hashes = {role: hash_password(pw) for role, pw in PASSWORDS.items()}
    accounts = []

    def add(username: str, name: str, role: str, who: str, **links: object) -> None:
        session.add(User(username=username, name=name, password_hash=hashes[role], role=role, **links))
        accounts.append((username, PASSWORDS[role], who))

    add("coordinator", "Coördinator van de samenwerking", "coordinator", "coordinator")
    for m in session.scalars(select(Municipality).order_by(Municipality.id)):
        add(f"tl-{m.code.lower()}", f"Teamleider {m.name}", "team_lead", f"team lead of {m.name}",
            municipality_id=m.id)
    internal = select(Specialist).where(Specialist.kind == "internal").order_by(Specialist.id)
    for s in session.scalars(internal.limit(SPECIALIST_ACCOUNTS)):
        add(s.code.lower(), s.name, "specialist", f"specialist {s.name}", specialist_id=s.id)
    return accounts
