"""A planner run survives nothing: a server killed mid-run shows the run failed after a restart, plan untouched."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pool.db import make_engine, make_session_factory
from pool.models import Plan, Request
from tests.web.test_serve import SERVE, free_port

pytestmark = pytest.mark.slow


class Browser:
    """Just enough of a browser: cookies, the CSRF token of the last page, form posts."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def get(self, path: str, accept: str = "text/html") -> Any:
        request = urllib.request.Request(self.base + path, headers={"Accept": accept})
        with self.opener.open(request, timeout=10) as response:
            body = response.read().decode()
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"', body)
        if found:
            self.token = found.group(1) or found.group(2)
        return json.loads(body) if accept == "application/json" else body

    def post(self, path: str, **form: str) -> str:
        data = urllib.parse.urlencode(form | {"csrf_token": self.token}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=10) as response:
            return str(response.url)


def _serve(env: dict[str, str], cwd: Path, port: int) -> subprocess.Popen[bytes]:
    with open(cwd / "serve.log", "ab") as log:
        server = subprocess.Popen([*SERVE, "--port", str(port)], env=env, cwd=cwd, stdout=log, stderr=log,
                                  start_new_session=True)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"pool serve did not answer: {(cwd / 'serve.log').read_text()}")


def _published(url: str) -> tuple[int, list[tuple[int, int, str, int]], dict[str, str]]:
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        plan = s.scalars(select(Plan).where(Plan.status == "published")).one()
        rows = sorted((a.need_id, a.specialist_id, a.week.isoformat(), a.hours) for a in plan.assignments)
        statuses = {r.code: r.status for r in s.scalars(select(Request))}
    engine.dispose()
    return plan.id, rows, statuses


def test_a_server_killed_mid_run_shows_the_run_failed_after_a_restart_and_the_plan_in_force_unchanged(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/pool.db"
    env = os.environ | {"POOL_DATABASE_URL": url}
    env.pop("POOL_SESSION_COOKIE_SECURE", None)
    # an M cooperation: its plan takes several seconds, so the run is still going when the server is killed
    subprocess.run([sys.executable, "-m", "pool", "demo", "--size", "M"], env=env, check=True, capture_output=True,
                   cwd=tmp_path)
    before = _published(url)
    port = free_port()
    server = _serve(env, tmp_path, port)
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.get("/login")
        browser.post("/login", username="coordinator", password="coordinator-demo")
        browser.get("/plans/runs")
        landed = browser.post("/plans/runs", method="planner", time_limit="300", frozen_weeks="0")
        run_path = urllib.parse.urlsplit(landed).path
        assert re.fullmatch(r"/plans/runs/\d+", run_path), landed
        for _ in range(300):
            if browser.get(run_path, "application/json")["status"] == "running":
                break
            time.sleep(0.1)
        time.sleep(1.5)  # well inside the solve
        assert browser.get(run_path, "application/json")["status"] == "running"
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(60)
    server = _serve(env, tmp_path, port)
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.get("/login")
        browser.post("/login", username="coordinator", password="coordinator-demo")
        for _ in range(300):  # the new server's scheduler marks it when it takes over, a moment after the start
            answer = browser.get(run_path, "application/json")
            if answer["status"] != "running":
                break
            time.sleep(0.1)
        assert answer["status"] == "failed" and answer["plan_id"] is None
        assert "server stopped" in answer["message"]
        assert _published(url) == before
    finally:
        server.terminate()
        server.wait(60)
