"""Replay and the decisions export split across real scoring workers (two processes on Redis and the test
database, SQLite or PostgreSQL): the parts merged by the command equal what one process gives on the same data."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/13"
WORKERS = ("jobs1@tests", "jobs2@tests")
COMMENTS = 3000

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _clear_broker() -> None:
    import redis

    from moderation.tasks.celery_app import QUEUE
    from moderation.tasks.jobs import JOBS_QUEUE

    client = redis.Redis.from_url(REDIS)
    client.delete(QUEUE, JOBS_QUEUE, "unacked", "unacked_index")
    client.close()


@pytest.fixture
def job_app(app: Flask, database_url: str) -> Flask:
    """An app of the test database whose Celery app uses Redis (broker and results), as a deployment's would."""
    if not _redis_up():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    from moderation import create_app

    return create_app({"DATABASE_URL": database_url, "LOAD_MODEL_AT_START": False, "SECRET_KEY": "jobs",
                       "CELERY_BROKER": REDIS, "SCORING": "async"})


@pytest.fixture
def workers(job_app: Flask, database_url: str, tmp_path: Path) -> Iterator[Any]:
    """Two scoring worker processes on the test database and Redis; yields a Celery app to inspect them."""
    from celery import Celery

    _clear_broker()
    env = {**os.environ, "MODERATION_DATABASE_URL": database_url, "MODERATION_INSTANCE_PATH": str(tmp_path),
           "MODERATION_CELERY_BROKER": REDIS, "MODERATION_LOAD_MODEL_AT_START": "false", "LOG_LEVEL": "WARNING"}
    processes = [subprocess.Popen([sys.executable, "-m", "tests.tasks.fixed_worker", name], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for name in WORKERS]
    control = Celery(broker=REDIS, set_as_current=False)
    try:
        deadline = time.monotonic() + 90
        while {name for reply in control.control.ping(timeout=1.0) for name in reply} < set(WORKERS):
            assert all(p.poll() is None for p in processes) and time.monotonic() < deadline, "a worker did not start"
        yield control
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        control.close()
        _clear_broker()


@pytest.fixture
def history(job_app: Flask) -> str:
    """COMMENTS scored comments over 30 days, with automatic and moderators' decisions; returns the site's name."""
    from moderation.benchmarks.replay import seed_history
    from moderation.extensions import get_engine

    with job_app.app_context():
        return seed_history(get_engine(), COMMENTS)


def _candidate(job_app: Flask, tmp_path: Path) -> Path:
    source = (Path(job_app.config["POLICY_DIR"]) / "default.toml").read_text(encoding="utf-8")
    candidate = tmp_path / "candidate.toml"
    stricter = re.sub(r'(label = "personal_attack", review = )[0-9.]+', r'\g<1>0.30', source)
    assert stricter != source
    candidate.write_text(stricter.replace('version = "', 'version = "candidate-', 1), encoding="utf-8")
    return candidate


def _tasks_run(control: Any) -> dict[str, dict[str, int]]:
    stats = control.control.inspect(destination=list(WORKERS), timeout=5.0).stats() or {}
    return {name: stats.get(name, {}).get("total", {}) for name in WORKERS}


def test_a_replay_split_across_two_workers_merges_to_the_single_process_report(job_app, workers, history,
                                                                               tmp_path):
    from moderation.tasks.jobs import REPLAY_PART

    candidate = _candidate(job_app, tmp_path)
    runner = job_app.test_cli_runner()
    alone = runner.invoke(args=["moderation", "replay", "--policy", str(candidate), "--json", "--batch-size", "250"])
    assert alone.exit_code == 0, alone.output
    split = runner.invoke(args=["moderation", "replay", "--policy", str(candidate), "--json", "--batch-size", "250",
                                "--on-workers", "--part-size", "170", "--in-flight", "6"])
    assert split.exit_code == 0, split.output
    expected, merged = json.loads(alone.stdout), json.loads(split.stdout)
    assert expected["comments"] == COMMENTS and expected["changed"] > 0 and expected["examples"]
    assert expected["agreement"]["removed_by_moderators"] > 0
    assert merged == expected
    parts = {name: total.get(REPLAY_PART, 0) for name, total in _tasks_run(workers).items()}
    assert sum(parts.values()) == -(-COMMENTS // 170) and all(parts.values()), parts  # both workers took parts
    one_site = runner.invoke(args=["moderation", "replay", "--policy", str(candidate), "--json", "--site", history,
                                   "--since", expected["window"]["last"][:10], "--on-workers"])
    alone_site = runner.invoke(args=["moderation", "replay", "--policy", str(candidate), "--json", "--site", history,
                                     "--since", expected["window"]["last"][:10]])
    assert json.loads(one_site.stdout) == json.loads(alone_site.stdout)


def test_an_export_split_across_two_workers_writes_the_same_rows_in_the_same_order(job_app, workers, history,
                                                                                   tmp_path):
    from moderation.tasks.jobs import EXPORT_PART

    runner = job_app.test_cli_runner()
    alone, split = tmp_path / "alone.jsonl", tmp_path / "split.jsonl"
    result = runner.invoke(args=["moderation", "export-decisions", "--out", str(alone)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["moderation", "export-decisions", "--out", str(split), "--on-workers",
                                 "--part-size", "23", "--in-flight", "4"])
    assert result.exit_code == 0, result.output
    rows = alone.read_text(encoding="utf-8").splitlines()
    assert len(rows) > 100 and len({json.loads(r)["id"] for r in rows}) == len(rows)
    assert split.read_bytes() == alone.read_bytes()
    parts = {name: total.get(EXPORT_PART, 0) for name, total in _tasks_run(workers).items()}
    assert sum(parts.values()) == -(-len(rows) // 23) and all(parts.values()), parts


def test_without_workers_the_command_fails_after_the_part_timeout_and_says_why(job_app, history, tmp_path):
    _clear_broker()
    runner = job_app.test_cli_runner()
    result = runner.invoke(args=["moderation", "replay", "--policy", str(_candidate(job_app, tmp_path)),
                                 "--on-workers", "--part-timeout", "2"])
    assert result.exit_code == 1 and "no scoring worker finished ids 1-" in result.output
    _clear_broker()
