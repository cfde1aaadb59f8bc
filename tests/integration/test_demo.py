"""The demo cooperation: believable, complete and the same for the same seed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.models import REQUEST_STATUSES, Contribution, Municipality, Plan, Request, Unavailability, User
from pool.security import check_password
from pool.services.demo import PASSWORDS, load_demo


def test_the_demo_has_requests_in_every_status_and_a_published_plan(session: Session) -> None:
    summary = load_demo(session, "S", seed=3)
    statuses = set(session.scalars(select(Request.status)))
    assert statuses == set(REQUEST_STATUSES)
    plan = session.scalars(select(Plan).where(Plan.status == "published")).one()
    assert plan.assignments
    assert summary.counts["municipalities"] == 10


def test_the_demo_region_is_real_municipalities_with_contributions_and_leave(session: Session) -> None:
    load_demo(session, "S", seed=3)
    dordrecht = session.scalars(select(Municipality).where(Municipality.code == "GM0505")).one()
    assert dordrecht.name == "Dordrecht"
    assert session.scalar(select(func.count()).select_from(Contribution)) == 10
    assert session.scalar(select(func.count()).select_from(Unavailability)) > 50


def test_every_printed_demo_account_logs_in_with_its_password(session: Session) -> None:
    summary = load_demo(session, "S", seed=3)
    users = {u.username: u for u in session.scalars(select(User))}
    assert {u.role for u in users.values()} == set(PASSWORDS)
    one_per_role = {password: username for username, password, _who in summary.accounts}
    assert len(one_per_role) == 3
    for password, username in one_per_role.items():
        assert check_password(users[username].password_hash, password)
    team_lead = users["tl-gm0505"]
    assert team_lead.municipality is not None and team_lead.municipality.code == "GM0505"
    assert "tl-gm0505" in summary.describe()
