"""The demo cooperation: believable, complete and the same for the same seed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pool.models import REQUEST_STATUSES, Contribution, Cooperation, Municipality, Plan, Request, Unavailability, User
from pool.security import check_password
from pool.services.demo import PASSWORDS, load_demo
from pool.weeks import coming_monday


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


def test_the_demo_horizon_starts_at_the_coming_monday_and_pool_hours_count_today(session: Session) -> None:
    load_demo(session, "S", seed=3)
    today = dt.date.today()
    coop = session.scalars(select(Cooperation)).one()
    assert coop.horizon_start == coming_monday(today)
    assert 0 <= (coop.horizon_start - today).days < 7
    assert all(m.committed_hours(today) > 0 for m in session.scalars(select(Municipality)))


def test_the_demo_prints_every_team_lead_or_the_pattern_plainly(session: Session) -> None:
    summary = load_demo(session, "S", seed=3)
    text = summary.describe()
    team_leads = [u for u, p, _who in summary.accounts if p == PASSWORDS["team_lead"]]
    assert len(team_leads) == 10 and all(u in text for u in team_leads)
    assert "more" not in text
    short = summary.describe(listed=5)
    assert "10 team lead accounts, password teamlead-demo: tl- and the CBS code" in short
