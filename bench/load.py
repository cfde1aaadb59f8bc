"""Load: `pool serve --workers 4` and `pool scheduler` on PostgreSQL with the M demo, one planner run going,
50 concurrent sessions of mixed roles for 60 s. Loopback only, bounded in requests and time.

    python bench/load.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench [--sessions 50] [--seconds 60]

The database is emptied and filled with `pool demo --size M`. Prints requests/s, errors and the median and
95th percentile latency per page (markdown). A benchmark, not a test: paste the table into the README.
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
import time
from collections import defaultdict

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


async def session(client: httpx.AsyncClient, role: str, until: float, times: dict[str, list[float]],
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
        times[page].append(time.perf_counter() - start)
        if not ok:
            errors.append(f"{role} {page}: {getattr(answer, 'status_code', answer)}")


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000


async def drive(base: str, sessions: int, seconds: float) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=180) as coordinator:
        await log_in(coordinator, "coordinator", PASSWORDS["coordinator"])
        token = TOKEN.search((await coordinator.get("/plans/runs")).text).group(1)  # type: ignore[union-attr]
        started = await coordinator.post("/plans/runs", data={"method": "planner", "time_limit": str(seconds + 60),
                                                              "frozen_weeks": "0", "csrf_token": token})
        run = started.headers.get("location", "")
        print(f"planner run started: {started.status_code} {run}", file=sys.stderr)
        roles = (["coordinator"] * (sessions // 5) + ["team_lead"] * (2 * sessions // 5))
        roles += ["specialist"] * (sessions - len(roles))
        names = await accounts(coordinator)
        times: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        clients = [httpx.AsyncClient(base_url=base, timeout=180) for _ in roles]
        for i, (client, role) in enumerate(zip(clients, roles, strict=True)):  # one by one: log-in is slow on purpose
            await log_in(client, names[role][i % len(names[role])], PASSWORDS[role])
        until = time.monotonic() + seconds
        budget = [MAX_REQUESTS]
        t0 = time.monotonic()
        await asyncio.gather(*(session(c, role, until, times, errors, budget) for c, role in zip(clients, roles,
                                                                                                 strict=True)))
        elapsed = time.monotonic() - t0
        for client in clients:
            await client.aclose()
        status = (await coordinator.get(run, headers={"Accept": "application/json"})).json()["status"] if run else "?"
    total = sum(len(v) for v in times.values())
    print(f"\n{sessions} sessions, {elapsed:.0f} s, {total} requests, {total / elapsed:.1f} requests/s, "
          f"{len(errors)} errors; planner run {status} at the end\n")
    print("| page | requests | median ms | p95 ms |\n|---|---:|---:|---:|")
    for page, values in sorted(times.items()):
        print(f"| `{page}` | {len(values)} | {statistics.median(values) * 1000:.0f} | {pct(values, 0.95):.0f} |")
    for e in errors[:10]:
        print("error:", e)


async def accounts(coordinator: httpx.AsyncClient) -> dict[str, list[str]]:
    """The demo's account names per role, read from the accounts page."""
    page = (await coordinator.get("/pool/users/")).text
    found = set(re.findall(r">(tl-gm\d+|s\d{4})<", page))
    return {"coordinator": ["coordinator"], "team_lead": sorted(n for n in found if n.startswith("tl-")),
            "specialist": sorted(n for n in found if n.startswith("s"))}


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
    env = os.environ | {"POOL_DATABASE_URL": args.database, "POOL_SCHEDULER": "external"}
    env.pop("POOL_SESSION_COOKIE_SECURE", None)
    from sqlalchemy import text

    from pool.db import make_engine

    if not args.reuse:
        engine = make_engine(args.database)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        subprocess.run([*POOL, "demo", "--size", "M"], env=env, check=True, stdout=subprocess.DEVNULL)
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


if __name__ == "__main__":
    main()
