"""Load: `pool serve --workers 4` and `pool scheduler` on PostgreSQL with the M demo, a planner run going,
50 concurrent sessions of mixed roles for 60 s. Loopback only, bounded in requests and time.

    python bench/load.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench [--sessions 50]
        [--seconds 60] [--reuse]

The database is emptied and filled with `pool demo --size M` (with --reuse: kept as a previous run left it;
the log-in throttle's rows are cleared first, since the earlier run's log-ins count against the same names).
All sessions log in first, and each role's pages are fetched one at a time (the single-user baseline); then
a planner run starts, and once the scheduler runs it the sessions read their pages without pause for the
given time. Whenever the run ends before the time is up the next one starts, so a run goes on all along.
Prints the commit, the load average, requests/s, errors, the median and 95th percentile latency per page
(beside the single-user median) and per role (markdown), the requests each gunicorn worker served (from its
access log) and what the planner runs did. A benchmark, not a test: paste the table into the README.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx

POOL = [sys.executable, "-c", "from web.cli import main; main()"]
MAX_REQUESTS = 200_000
PAGES = {
    "coordinator": ["/dashboard", "/requests/", "/pool/specialists/", "/plans/", "/plans/runs", "/jobs", "/audit"],
    "team_lead": ["/requests/", "/notifications/", "/audit"],
    "specialist": ["/me/", "/me/leave", "/notifications/"],
}
PASSWORDS = {"coordinator": "coordinator-demo", "team_lead": "teamlead-demo", "specialist": "specialist-demo"}
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
WORKER = re.compile(r" \d+ms <(\d+)>$")  # the end of a line of pool serve's access log


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def log_in(client: httpx.AsyncClient, username: str, password: str) -> str:
    page = await client.get("/login")
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    answer = await client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"{username} could not log in: {answer.status_code}")
    return token


async def session(client: httpx.AsyncClient, role: str, until: float, times: dict[tuple[str, str], list[float]],
                  errors: list[str], budget: list[int]) -> None:
    i = 0
    while time.monotonic() < until and budget[0] > 0:
        page = PAGES[role][i % len(PAGES[role])]
        i += 1
        budget[0] -= 1
        start = time.perf_counter()
        try:
            answer = await client.get(page)
            ok = answer.status_code == 200
        except httpx.HTTPError as e:
            ok, answer = False, e  # type: ignore[assignment]
        times[(role, page)].append(time.perf_counter() - start)
        if not ok:
            errors.append(f"{role} {page}: {getattr(answer, 'status_code', None) or type(answer).__name__}")


async def start_run(coordinator: httpx.AsyncClient, seconds: float) -> str:
    """Start a planner run from the runs page; return its address."""
    token = TOKEN.search((await coordinator.get("/plans/runs")).text).group(1)  # type: ignore[union-attr]
    started = await coordinator.post("/plans/runs", data={
        "method": "planner", "time_limit": str(seconds + 60), "frozen_weeks": "0", "csrf_token": token})
    run = started.headers.get("location", "")
    if started.status_code != 303 or not run:
        raise RuntimeError(f"a planner run did not start: {started.status_code}")
    return run


async def run_state(coordinator: httpx.AsyncClient, run: str) -> dict[str, Any] | None:
    """The run's status and progress, or None when the request failed (a server with keep-alive may close an
    idle connection just as it is reused)."""
    try:
        return (await coordinator.get(run, headers={"Accept": "application/json"})).json()  # type: ignore[no-any-return]
    except httpx.HTTPError:
        return None


async def planner_runs(coordinator: httpx.AsyncClient, run: str, t0: float, until: float,
                       seconds: float) -> list[str]:
    """Keep a planner run going until the end: this one (running when the load starts), and the next whenever
    one ends early. Returns what each run did, e.g. "/plans/runs/3: started at 0 s, finished at 37 s"."""
    done: list[str] = []
    began = 0.0
    while True:
        state = await run_state(coordinator, run)
        if state and state["status"] in ("finished", "failed", "stopped"):
            done.append(f"{run}: started at {began:.0f} s, {state['status']} at {time.monotonic() - t0:.0f} s")
            if time.monotonic() >= until:
                return done
            run, began = await start_run(coordinator, seconds), time.monotonic() - t0
            continue
        if time.monotonic() >= until:
            status = f"still {state['status']} (step {(state.get('progress') or {}).get('step', '?')})" if state \
                else "in a state not known"
            return [*done, f"{run}: started at {began:.0f} s, {status} at the end"]
        await asyncio.sleep(1)


async def single_user(clients: list[httpx.AsyncClient], roles: list[str], repeat: int = 5) -> dict[str, list[float]]:
    """Before the load: each role's pages fetched one at a time by one of its sessions, the baseline."""
    alone: dict[str, list[float]] = defaultdict(list)
    for role, pages in PAGES.items():
        client = clients[roles.index(role)]
        for page in pages:
            for _ in range(repeat):
                start = time.perf_counter()
                (await client.get(page)).raise_for_status()
                alone[page].append(time.perf_counter() - start)
    return alone


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000


def row(name: str, values: list[float]) -> str:
    return f"| {name} | {len(values)} | {statistics.median(values) * 1000:.0f} | {pct(values, 0.95):.0f} |"


async def drive(base: str, sessions: int, seconds: float) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=180) as coordinator:
        await log_in(coordinator, "coordinator", PASSWORDS["coordinator"])
        roles = (["coordinator"] * (sessions // 5) + ["team_lead"] * (2 * sessions // 5))
        roles += ["specialist"] * (sessions - len(roles))
        names = await accounts(coordinator)
        times: dict[tuple[str, str], list[float]] = defaultdict(list)
        errors: list[str] = []
        clients = [httpx.AsyncClient(base_url=base, timeout=180) for _ in roles]
        for i, (client, role) in enumerate(zip(clients, roles, strict=True)):  # one by one: log-in is slow on purpose
            await log_in(client, names[role][i % len(names[role])], PASSWORDS[role])
        alone = await single_user(clients, roles)
        run = await start_run(coordinator, seconds)
        for _ in range(300):  # until the scheduler has taken it (at most a minute): the load starts with it going
            if (state := await run_state(coordinator, run)) is not None and state["status"] != "queued":
                break
            await asyncio.sleep(0.2)
        load_before = os.getloadavg()
        t0 = time.monotonic()
        until = t0 + seconds
        budget = [MAX_REQUESTS]
        planner = asyncio.create_task(planner_runs(coordinator, run, t0, until, seconds))
        await asyncio.gather(*(session(c, role, until, times, errors, budget)
                               for c, role in zip(clients, roles, strict=True)))
        runs = await planner
        elapsed = time.monotonic() - t0
        load_after = os.getloadavg()
        for client in clients:
            await client.aclose()
    total = sum(len(v) for v in times.values())
    print(f"\n{sessions} sessions ({Counter(roles)['coordinator']} coordinators, {Counter(roles)['team_lead']} team "
          f"leads, {Counter(roles)['specialist']} specialists), {elapsed:.0f} s, {total} requests, "
          f"{total / elapsed:.1f} requests/s, {len(errors)} errors")
    print(f"load average (1, 5, 15 min) before {' '.join(f'{x:.1f}' for x in load_before)}, "
          f"after {' '.join(f'{x:.1f}' for x in load_after)}")
    print("planner runs: " + "; ".join(runs))
    print("\n| page | requests | median ms | p95 ms | single user ms |\n|---|---:|---:|---:|---:|")
    pages: dict[str, list[float]] = defaultdict(list)
    by_role: dict[str, list[float]] = defaultdict(list)
    for (role, page), values in times.items():
        pages[page] += values
        by_role[role] += values
    for page, values in sorted(pages.items()):
        print(f"{row(f'`{page}`', values)} {statistics.median(alone[page]) * 1000:.0f} |")
    print("\n| role | requests | median ms | p95 ms |\n|---|---:|---:|---:|")
    for role, values in by_role.items():
        print(row(role, values))
    for e in errors[:10]:
        print("error:", e)


async def accounts(coordinator: httpx.AsyncClient) -> dict[str, list[str]]:
    """The demo's account names per role, read from the accounts page."""
    page = (await coordinator.get("/pool/users/")).text
    found = set(re.findall(r">(tl-gm\d+|s\d{4})<", page))
    return {"coordinator": ["coordinator"], "team_lead": sorted(n for n in found if n.startswith("tl-")),
            "specialist": sorted(n for n in found if n.startswith("s"))}


def per_worker(access_log: Path) -> str:
    """How many requests each gunicorn worker served, from the access log."""
    served = Counter(m.group(1) for line in access_log.read_text().splitlines() if (m := WORKER.search(line)))
    return ", ".join(f"{n}" for _, n in served.most_common())


def commit() -> str:
    """The commit of the code that is served (the `pool` package this process imports), "+" when changed."""
    import pool

    root = Path(pool.__file__).resolve().parents[1]
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True,
                           text=True)
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def prepare(database: str, reuse: bool, env: dict[str, str]) -> None:
    """Fill the database with the M demo, or (reuse) clear the log-in throttle of the previous run."""
    from sqlalchemy import text

    from pool.db import make_engine

    engine = make_engine(database)
    with engine.begin() as conn:
        if reuse:
            conn.execute(text("DELETE FROM login_throttle"))
        else:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    if not reuse:
        subprocess.run([*POOL, "demo", "--size", "M"], env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep the M demo a previous run filled")
    args = parser.parse_args()
    if not 1 <= args.sessions <= 200 or not 1 <= args.seconds <= 600:
        parser.error("keep it bounded: at most 200 sessions and 600 s")
    print(f"commit {commit()}; python bench/load.py --sessions {args.sessions} --seconds {args.seconds:g} "
          f"--workers {args.workers}{' --reuse' if args.reuse else ''}")
    access_log = Path(tempfile.mkstemp(prefix="pool-access-", suffix=".log")[1])
    env = os.environ | {"POOL_DATABASE_URL": args.database, "POOL_SCHEDULER": "external",
                        "POOL_ACCESS_LOG": str(access_log)}
    env.pop("POOL_SESSION_COOKIE_SECURE", None)
    prepare(args.database, args.reuse, env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen([*POOL, "serve", "--workers", str(args.workers), "--port", str(port)], env=env,
                             start_new_session=True, stderr=subprocess.DEVNULL)
    scheduler = subprocess.Popen([*POOL, "scheduler"], env=env, start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        asyncio.run(drive(base, args.sessions, args.seconds))
    finally:
        for p in (serve, scheduler):
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(60)
    print(f"\nrequests per gunicorn worker (log-ins included): {per_worker(access_log)}")
    access_log.unlink()


if __name__ == "__main__":
    main()
