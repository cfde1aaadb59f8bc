"""Small wordings: a new skill is not "from level 0", switching the feed on the first time is not "a new address"."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pool.models import Skill
from tests.web.conftest import World, log_in


def test_a_new_skill_waiting_for_approval_reads_as_new(client: FlaskClient, world: World, session: Session) -> None:
    cobol = session.scalars(select(Skill).where(Skill.code == "cobol")).one()
    log_in(client, world.spec_a)  # S0001 does not hold COBOL
    assert client.post("/me/skills/propose", data={"skill_id": cobol.id, "level": 2, "note": ""}).status_code == 303
    log_in(client, world.coordinator)
    page = client.get("/pool/skill-changes/").get_data(as_text=True)
    assert "Een nieuwe vaardigheid, op niveau 2." in page
    assert "van niveau 0" not in page.lower()


def test_switching_the_feed_on_says_so_and_only_a_second_time_says_new_address(client: FlaskClient,
                                                                               world: World) -> None:
    log_in(client, world.spec_a)
    client.post("/me/calendar/token")
    first = client.get("/me/calendar").get_data(as_text=True)
    assert "Uw agendafeed staat aan." in first and "nieuw adres" not in first.split("<main")[1].split("<form")[0]
    client.post("/me/calendar/token")
    assert "Uw agendafeed heeft een nieuw adres." in client.get("/me/calendar").get_data(as_text=True)
