"""Slow clients under gunicorn: a trickled request body is cut off at BODY_TIMEOUT_S, so a handful of them cannot
starve a worker's threads; behind the bundled nginx configuration, trickled headers and bodies never reach
gunicorn at all."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BODY_TIMEOUT_S = 1.5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, timeout: float = 10.0) -> tuple[int, float]:
    """Status and seconds taken of a GET on a fresh connection."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        status = int(conn.recv(64).split(b" ")[1])
    return status, time.monotonic() - started


class Trickler(threading.Thread):
    """A client that sends the first `at_once` bytes of its request (its headers, or none of them) and then one
    byte every `gap` seconds; records what the server answered and when it closed on it."""

    def __init__(self, port: int, request: bytes, at_once: int, gap: float = 0.25, give_up_s: float = 60) -> None:
        super().__init__(daemon=True)
        self.port, self.request, self.at_once, self.gap, self.give_up_s = port, request, at_once, gap, give_up_s
        self.answer, self.closed_after = b"", None

    def run(self) -> None:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as conn:
            conn.sendall(self.request[:self.at_once])
            conn.settimeout(self.gap)
            for index in range(self.at_once, len(self.request)):
                if time.monotonic() - started > self.give_up_s:
                    return
                try:
                    conn.sendall(self.request[index:index + 1])
                except OSError:
                    break
                try:
                    data = conn.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    break
                self.answer += data
                if not data or self.answer:
                    break
            self.closed_after = time.monotonic() - started
            conn.settimeout(1.0)
            with contextlib.suppress(OSError):  # the rest of the answer, if one came
                while self.answer and (data := conn.recv(4096)):
                    self.answer += data


def _slow_body(path: str, key: str = "") -> bytes:
    body = b'{"external_id": "slow", "text": "' + b"x" * 400 + b'"}'
    head = (f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {key}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    return head + body


def _start_gunicorn(app, database_url, tmp_path, port: int, threads: int, **settings: str) -> subprocess.Popen:
    env = {**os.environ, **settings, "MODERATION_DATABASE_URL": database_url, "MODERATION_INSTANCE_PATH": str(tmp_path),
           "MODERATION_MODEL_CACHE_DIR": app.config["MODEL_CACHE_DIR"], "MODERATION_LOAD_MODEL_AT_START": "false",
           "MODERATION_BODY_TIMEOUT_S": str(BODY_TIMEOUT_S), "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": str(threads), "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(port, "/healthz")[0] == 200:
                return process
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.3)


@pytest.fixture
def gunicorn_port(app, database_url, tmp_path):
    port = _free_port()
    process = _start_gunicorn(app, database_url, tmp_path, port, threads=2)
    yield port
    process.kill()
    process.wait(timeout=30)


@pytest.mark.slow
def test_trickled_bodies_are_cut_off_and_the_worker_keeps_answering(gunicorn_port, api_key):
    requests = [_slow_body("/api/v1/comments", api_key), _slow_body("/api/v1/score", api_key),
                _slow_body("/api/v1/comments"), _slow_body("/v1alpha1/comments:analyze?key=" + api_key),
                _slow_body("/api/v1/comments", api_key), _slow_body("/api/v1/comments", api_key)]
    # Headers at once, then the body byte by byte: three times as many as the worker has threads.
    tricklers = [Trickler(gunicorn_port, request, request.index(b"\r\n\r\n") + 4) for request in requests]
    for trickler in tricklers:
        trickler.start()
    time.sleep(0.5)
    worst = 0.0
    while any(t.is_alive() for t in tricklers):
        status, took = _get(gunicorn_port, "/healthz")
        assert status == 200
        worst = max(worst, took)
        time.sleep(0.2)
    # A probe waits for the tricklers ahead of it to be cut off (a deadline per wave of two), never for as long
    # as they trickle (about two minutes each at this pace).
    waves = -(-len(tricklers) // 2)
    assert worst < BODY_TIMEOUT_S * waves + 1.5
    for trickler in tricklers:
        assert trickler.closed_after is not None and trickler.closed_after < BODY_TIMEOUT_S * waves + 1.5
        status = int(trickler.answer.split(b" ")[1]) if trickler.answer else None
        # Refused before the body mattered, shed after queueing behind the others (503), or cut off (Perspective's
        # format says 400 for a 408): never served.
        assert status in (None, 401, 403, 408, 503) or b"did not arrive in time" in trickler.answer, trickler.answer
    assert any(t.answer.startswith(b"HTTP/1.1 408") for t in tricklers)


NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


@pytest.fixture
def nginx_port(gunicorn_port, tmp_path):
    """deploy/nginx.conf, as shipped, in front of the test's gunicorn."""
    port = _free_port()
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};").replace(
        "server 127.0.0.1:8000;", f"server 127.0.0.1:{gunicorn_port};").replace("worker_processes auto;", "")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "nginx.conf").write_text(conf)
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                                "-g", "daemon off; master_process off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            if _get(port, "/healthz")[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "nginx did not start"
        time.sleep(0.1)
    yield port
    process.kill()
    process.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.skipif(NGINX is None, reason="nginx is not installed")
def test_behind_nginx_trickled_headers_and_bodies_never_hold_a_gunicorn_thread(nginx_port, api_key):
    requests = [_slow_body("/api/v1/comments", api_key), _slow_body("/api/v1/score", api_key)] * 4
    tricklers = [Trickler(nginx_port, r, 0, give_up_s=4) for r in requests[:4]]  # headers byte by byte
    tricklers += [Trickler(nginx_port, r, r.index(b"\r\n\r\n") + 4, give_up_s=4) for r in requests[4:]]
    for trickler in tricklers:  # four times as many as gunicorn's two threads
        trickler.start()
    time.sleep(0.3)
    took = []
    while any(t.is_alive() for t in tricklers):
        status, seconds = _get(nginx_port, "/healthz")
        assert status == 200
        took.append(seconds)
        time.sleep(0.1)
    assert len(took) >= 10 and max(took) < 0.5  # gunicorn's threads stayed free the whole time
    assert all(t.answer == b"" for t in tricklers)  # nothing reached gunicorn half-sent


@pytest.mark.slow
def test_requests_queued_behind_a_busy_thread_past_the_budget_are_shed_at_once(app, database_url, tmp_path, api_key):
    """The serving worker (gunicorn.conf.py) tells the app how long each request queued for a thread."""
    port = _free_port()
    process = _start_gunicorn(app, database_url, tmp_path, port, threads=1, MODERATION_SHED_BUDGET_S="0.5")
    try:
        request = _slow_body("/api/v1/comments", api_key)
        holder = Trickler(port, request, request.index(b"\r\n\r\n") + 4)  # holds the only thread for 1.5 s
        holder.start()
        time.sleep(0.2)
        answers: list[tuple[bytes, float]] = []

        def ask() -> None:
            started = time.monotonic()
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(f"GET /api/v1/comments/c1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {api_key}\r\n"
                             "Connection: close\r\n\r\n".encode())
                answer = b""
                while data := conn.recv(4096):
                    answer += data
            answers.append((answer, time.monotonic() - started))

        askers = [threading.Thread(target=ask) for _ in range(3)]
        for asker in askers:
            asker.start()
        for asker in askers + [holder]:
            asker.join(20)
        assert len(answers) == 3
        for answer, _took in answers:
            assert answer.startswith(b"HTTP/1.1 503") and b"Retry-After: " in answer and b"overloaded" in answer
        assert max(took for _, took in answers) < BODY_TIMEOUT_S + 1.0  # shed as soon as the thread was free
        status, _ = _get(port, "/api/v1/comments/c1")  # an unqueued request is served again (401: no key)
        assert status == 401
    finally:
        process.kill()
        process.wait(timeout=30)
