"""`pool serve` answers over real HTTP on the configured database."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from web.cli import gunicorn_options

SERVE = [sys.executable, "-c", "from web.cli import main; main()", "serve"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_pool_serve_shows_the_login_page_with_a_cookie_that_plain_http_keeps(tmp_path: Path) -> None:
    env = os.environ | {"POOL_DATABASE_URL": f"sqlite:///{tmp_path}/serve.db"}
    env.pop("POOL_SESSION_COOKIE_SECURE", None)
    subprocess.run([sys.executable, "-m", "pool", "init"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([*SERVE, "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("pool serve did not answer")
        assert response.status == 200
        assert "csrf_token" in response.read().decode()
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        # no keep-alive, even when the client asks for it (HTTP/1.1): the next request is accepted by whichever
        # worker is free, not by the one that had this connection
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz")
        assert connection.getresponse().getheader("Connection") == "close"
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_a_worker_takes_no_more_connections_than_it_has_threads_and_keeps_none_alive() -> None:
    options = gunicorn_options("127.0.0.1:8000", workers=4, threads=3)
    assert options["worker_class"] == "gthread" and options["worker_connections"] == 3
    assert options["keepalive"] == 0


def test_pool_serve_refuses_a_database_that_is_not_set_up(tmp_path: Path) -> None:
    env = os.environ | {"POOL_DATABASE_URL": f"sqlite:///{tmp_path}/none.db"}
    result = subprocess.run([*SERVE], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "pool init" in result.stderr and "Traceback" not in result.stderr
