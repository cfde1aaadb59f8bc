"""Server time of the web pages on an L demo database: median and 95th percentile per page.

    python bench/web.py [--database URL] [--repeat 20]

Without --database it fills a fresh SQLite file (`pool init`, `pool demo --size L`, which publishes a greedy
plan, then `pool plan --greedy` for a draft beside it, then a what-if scenario planned greedily by the run job;
about ten minutes on two cores). A database that already holds a cooperation is used as it is, with a draft
and a planned scenario made when it has none. What would help most is worked out once before it is timed
(it is kept per published plan; the time that takes is printed). Pages are fetched through
Flask's test client in this process, logged in as the coordinator: the time is the server's (routing, the
database, rendering), without a network. Not a timed test: it prints a table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from pool.db import make_engine, make_session_factory  # noqa: E402
from pool.models import Cooperation, Need, Plan, Scenario, Skill, Specialist, UnmetNeed, User  # noqa: E402
from pool.services import runs, scenarios  # noqa: E402
from pool.services.what_would_help import what_would_help  # noqa: E402
from web import create_app  # noqa: E402


def _pool(url: str, *args: str) -> None:
    print("$ pool", " ".join(args), file=sys.stderr)
    subprocess.run([sys.executable, "-m", "pool", *args], check=True, cwd=ROOT,
                   env={**os.environ, "POOL_DATABASE_URL": url}, stdout=subprocess.DEVNULL)


def fill(url: str) -> None:
    """Make sure the database holds an L cooperation with a published plan and a draft."""
    _pool(url, "init")  # creates the schema, or brings it up to date
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        filled = (s.scalar(select(func.count()).select_from(Cooperation)) or 0) > 0
    if not filled:
        _pool(url, "demo", "--size", "L")
    with make_session_factory(engine)() as s:
        has_draft = (s.scalar(select(func.count()).select_from(Plan).where(Plan.status == "draft")) or 0) > 0
    if not has_draft:
        _pool(url, "plan", "--greedy")
    with make_session_factory(engine)() as s:
        if s.scalars(select(Scenario).where(Scenario.planned_at.is_not(None))).first() is None:
            print("$ a what-if scenario, planned greedily", file=sys.stderr)
            coordinator = s.scalars(select(User).where(User.role == "coordinator")).first()
            person = s.scalars(select(Specialist.code).where(Specialist.kind == "internal")
                               .order_by(Specialist.code)).first()
            assert coordinator is not None and person is not None
            scenario = scenarios.create_scenario(s, coordinator, "Bench: 4 more pool hours a week")
            scenarios.add_change(s, coordinator, scenario.id, scenarios.Change(kind="more-hours", specialist=person,
                                                                               hours=4))
            run = runs.start_run(s, coordinator, method="greedy", scenario_id=scenario.id)
            s.commit()
            runs.execute_run(run.id, url)
    engine.dispose()


def pages(url: str) -> list[tuple[str, str]]:
    """The pages to time: every list, grid and plan page, with a filter and a later page where they have one."""
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        draft = s.scalars(select(Plan).where(Plan.status == "draft").order_by(Plan.id.desc())).first()
        published = s.scalars(select(Plan).where(Plan.status == "published")).first()
        assert draft is not None and published is not None, "the database needs a draft and a published plan"
        skill = s.scalars(select(Skill.id).order_by(Skill.id)).first()
        code = s.scalars(select(Skill.code).order_by(Skill.id)).first()
        scenario = s.scalars(select(Scenario.id).where(Scenario.planned_at.is_not(None)).order_by(Scenario.id)).first()
        year = published.horizon_start.year
        short = s.scalars(
            select(Need.request_id).join(UnmetNeed).where(UnmetNeed.plan_id == draft.id)
            .order_by(UnmetNeed.hours.desc())
        ).first()
    engine.dispose()
    d, p = draft.id, published.id
    return [
        ("requests list", "/requests/"),
        ("requests list, filtered", "/requests/?q=migratie&status=approved"),
        ("requests list, page 20", "/requests/?page=20"),
        ("specialists list", "/pool/specialists/"),
        ("specialists list, filtered", "/pool/specialists/?q=de"),
        ("plans list", "/plans/"),
        ("plan page (draft, with grid page 1)", f"/plans/{d}"),
        ("plan page (published)", f"/plans/{p}"),
        ("grid page 15 (htmx)", f"/plans/{d}?page=15"),
        ("grid filtered by skill (htmx)", f"/plans/{d}?skill={skill}"),
        ("grid filtered by name (htmx)", f"/plans/{d}?name=jan"),
        ("request in a plan", f"/plans/{d}/requests/{short}"),
        ("compare draft with published", f"/plans/compare?a={p}&b={d}"),
        ("ledger", f"/ledger?year={year}"),
        ("ledger CSV", f"/ledger.csv?year={year}"),
        ("contributions", "/contributions"),
        ("capacity heatmap", "/capacity"),
        ("capacity heatmap, level 3", "/capacity?level=3"),
        ("capacity of one skill", f"/capacity/{code}"),
        ("partner budget", "/partner/budget"),
        ("vulnerable skills", "/skills/vulnerable"),
        ("scenarios", "/scenarios"),
        ("scenario compared with published", f"/scenarios/{scenario}"),
        ("what would help most", "/what-would-help"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", help="SQLAlchemy URL; default: a fresh SQLite file filled with the L demo")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    url = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='pool-bench-')}/pool.db"
    fill(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "SESSION_COOKIE_SECURE": False})
    client = app.test_client()
    with make_session_factory(make_engine(url))() as s:
        coordinator = s.scalars(select(User).where(User.role == "coordinator")).first()
        assert coordinator is not None, "the database needs a coordinator"
        login = {"user_id": coordinator.id, "sv": coordinator.session_version, "login_at": int(time.time())}
    with client.session_transaction() as session:
        session.update(login)
    print(f"database: {url.split('@')[-1]}; {args.repeat} fetches per page after 2 warm-up fetches; "
          "Flask test client (server time, no network)\n")
    print("| page | path | median ms | p95 ms | KiB |")
    print("|---|---|---|---|---|")
    for label, path in pages(url):
        if path == "/what-would-help":
            with make_session_factory(make_engine(url))() as s:
                start = time.perf_counter()
                helps = what_would_help(s)
                print(f"(what would help most, worked out once before it is timed: "
                      f"{time.perf_counter() - start:.0f} s, {len(helps or [])} entries)", flush=True)
        htmx = {"HX-Request": "true", "HX-Target": "plan-grid"} if "(htmx)" in label else {}
        times = []
        size = 0
        for i in range(args.repeat + 2):
            start = time.perf_counter()
            response = client.get(path, headers=htmx)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, (path, response.status_code)
            size = len(response.data)
            if i >= 2:
                times.append(elapsed * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"| {label} | `{path}` | {statistics.median(times):.0f} | {p95:.0f} | {size / 1024:.0f} |", flush=True)
    app.extensions["pool_engine"].dispose()


if __name__ == "__main__":
    main()
