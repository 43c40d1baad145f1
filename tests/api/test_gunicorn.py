"""A real server: gunicorn with two worker processes sharing the test database, each with its own model."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from moderation.db.models import Comment, Decision
from tests.api.conftest import comment_body

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e  # each worker loads the real model at start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(url: str, body: dict | None = None, key: str = "") -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Authorization": f"Bearer {key}",
                                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def server(app, database_url, tmp_path):
    port = _free_port()
    env = {**os.environ, "MODERATION_DATABASE_URL": database_url, "MODERATION_INSTANCE_PATH": str(tmp_path),
           "MODERATION_MODEL_CACHE_DIR": app.config["MODEL_CACHE_DIR"], "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": "2", "LOG_LEVEL": "WARNING",
           "MODERATION_SHED_BUDGET_S": "120"}  # this burst is about storage, not shedding (tests/api/test_shedding.py)
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while True:
            try:
                if _request(f"{base}/readyz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not become ready"
            time.sleep(1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow
def test_two_workers_share_the_database_and_store_each_comment_once(server, api_key, db):
    bodies = [comment_body("same")] * 8 + [comment_body(f"c{i}", f"Point {i} is well made.") for i in range(24)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda b: _request(f"{server}/api/v1/comments", b, api_key), bodies))
    assert sorted(status for status, _ in results[:8]) == [200] * 7 + [201]
    assert [status for status, _ in results[8:]] == [201] * 24
    assert db.scalar(sa.select(sa.func.count()).select_from(Comment)) == 25
    assert db.scalar(sa.select(sa.func.count()).select_from(Decision)) == 25


def test_a_broken_policy_stops_the_server_with_one_line_naming_it(tmp_path):
    policies = tmp_path / "policies"
    policies.mkdir()
    text = (ROOT / "policies" / "default.toml").read_text(encoding="utf-8")
    (policies / "default.toml").write_text(text.replace('label = "insult"', 'label = "insutl"'), encoding="utf-8")
    env = {**os.environ, "MODERATION_POLICY_DIR": str(policies), "MODERATION_INSTANCE_PATH": str(tmp_path),
           "GUNICORN_BIND": f"127.0.0.1:{_free_port()}", "GUNICORN_WORKERS": "1"}
    done = subprocess.run([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0  # stopped: not a worker restarted over and over
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    assert errors and "default.toml: clause 'personal_attack' > labels > 0 > label" in errors[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("GUNICORN_WORKERS", "two", "GUNICORN_WORKERS='two': expected a whole number"),
    ("GUNICORN_WORKERS", "0", "GUNICORN_WORKERS must be at least 1"),
    ("GUNICORN_TIMEOUT", "60s", "GUNICORN_TIMEOUT='60s': expected a whole number"),
    ("LOG_LEVEL", "verbose", "LOG_LEVEL='VERBOSE': expected one of"),
])
def test_a_bad_gunicorn_setting_stops_it_with_one_line_naming_it(monkeypatch, variable, value, message):
    import runpy

    from moderation.config import PROJECT_ROOT

    monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit, match=message):
        runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
