"""The async topology for real: two API processes (gunicorn) and two scoring workers (Celery) against PostgreSQL and
Redis. A burst posted to both replicas is decided, every comment exactly once, with one worker killed mid-burst."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from moderation.db.enums import CommentStatus, DecisionAction
from moderation.db.models import Comment, Decision, Score, WebhookDelivery
from tests.api.conftest import comment_body

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("MODERATION_TEST_DATABASE_URL", "")
if not POSTGRES.startswith("postgresql"):
    POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/14"
BURST = 200
ABUSIVE = "You are a fucking idiot and a piece of shit"

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def schema_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL schema of this test's own."""
    if not (_reachable(5432) and _reachable(6379)):
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379")
    from moderation.db.migrate import upgrade

    schema = f"replicas_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = f"{POSTGRES}{'&' if '?' in POSTGRES else '?'}options=-csearch_path%3D{schema}"
    engine = sa.create_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _site_key(url: str, instance: Path) -> str:
    from moderation import create_app
    from moderation.extensions import database
    from moderation.services.sites import create_api_key, create_site, set_webhook

    app = create_app({"DATABASE_URL": url, "LOAD_MODEL_AT_START": False, "SECRET_KEY": "replicas"})
    with app.app_context():
        session = database().sessions()
        create_site(session, "Daily Chronicle", ["dailychronicle.in"], policy_name="default",
                    known_policies=tuple(app.extensions["moderation"].policies))
        set_webhook(session, "Daily Chronicle", "http://127.0.0.1:9/hook")
        key = create_api_key(session, "Daily Chronicle")
        session.close()
        database().engine.dispose()
    return key


def _post(base: str, body: dict[str, Any], key: str) -> int:
    request = urllib.request.Request(f"{base}/api/v1/comments", data=json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _wait_until_up(base: str, process: subprocess.Popen[bytes], deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "an API replica did not start"
        time.sleep(0.3)


def _clear_queue() -> None:
    import redis

    from moderation.tasks.celery_app import QUEUE

    client = redis.Redis.from_url(REDIS)
    client.delete(QUEUE, "unacked", "unacked_index")
    client.close()


def test_a_burst_on_two_replicas_is_decided_once_each_by_two_workers_one_killed(schema_url, tmp_path):
    key = _site_key(schema_url, tmp_path)
    _clear_queue()
    env = {**os.environ, "MODERATION_DATABASE_URL": schema_url, "MODERATION_INSTANCE_PATH": str(tmp_path),
           "MODERATION_SCORING": "async", "MODERATION_CELERY_BROKER": REDIS,
           "MODERATION_CELERY_VISIBILITY_TIMEOUT_S": "5",  # the killed worker's tasks go to the other after 5 s
           "MODERATION_SCORING_SWEEP_S": "3",  # and one Redis lost as it was killed, after 3 to 6 s
           "MODERATION_LOAD_MODEL_AT_START": "false",  # the replicas score nothing; the workers run FixedScorer
           "MODERATION_SHED_BUDGET_S": "30", "LOG_LEVEL": "WARNING",
           "GUNICORN_WORKERS": "1"}
    ports = [_free_port(), _free_port()]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for port in ports:
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))
        workers = [subprocess.Popen([sys.executable, "-m", "tests.tasks.fixed_worker", f"scorer{n}@replicas"],
                                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for n in (1, 2)]
        processes += workers
        deadline = time.monotonic() + 60
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base, process in zip(bases, processes, strict=False):
            _wait_until_up(base, process, deadline)
        _wait_for_workers(["scorer1@replicas", "scorer2@replicas"], workers, deadline)
        engine = sa.create_engine(schema_url)
        bodies = [comment_body(f"c{i}", ABUSIVE if i % 4 == 0 else f"Point {i} on the monsoon session is well made.")
                  for i in range(BURST)]
        with ThreadPoolExecutor(max_workers=16) as pool:
            futures = [pool.submit(_post, bases[i % 2], body, key) for i, body in enumerate(bodies)]
            # Mid-burst, once the workers are busy: what the killed one had taken is handed to the other.
            _wait_for_scored(engine, BURST // 5, deadline)
            workers[0].send_signal(signal.SIGKILL)
            statuses = Counter(f.result() for f in futures)
        assert statuses == {202: BURST}
        try:
            unscored = _wait_for_scoring(engine, time.monotonic() + 40)
            assert unscored == 0, f"{unscored} comments were never scored"
            with engine.connect() as conn:
                scores = Counter(conn.scalars(sa.select(Score.comment_id)))
                decisions = conn.execute(sa.select(Decision.comment_id, Decision.action, Decision.actor)
                                         .order_by(Decision.id)).all()
                comments = {row.id: row for row in conn.execute(sa.select(Comment.id, Comment.external_id,
                                                                          Comment.status))}
                hooks = Counter(conn.scalars(sa.select(WebhookDelivery.comment_id)))
        finally:
            engine.dispose()
        assert len(comments) == BURST and set(scores.values()) == {1}  # every comment stored once, scored once
        by_comment: dict[int, list[DecisionAction]] = {}
        for comment_id, action, actor in decisions:
            assert actor == "system"
            by_comment.setdefault(comment_id, []).append(action)
        for comment_id, actions in by_comment.items():
            assert actions[0] is DecisionAction.HOLD_UNSCORED and len(actions) == 2, (comment_id, actions)
            assert actions[1] is not DecisionAction.HOLD_UNSCORED
        assert len(by_comment) == BURST and set(hooks.values()) == {2}  # "not scored yet", then the decision
        rejected = {c.external_id for c in comments.values() if c.status is CommentStatus.REJECTED}
        assert rejected == {f"c{i}" for i in range(0, BURST, 4)}
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        _clear_queue()


def _wait_for_workers(names: list[str], workers: list[subprocess.Popen[bytes]], deadline: float) -> None:
    from celery import Celery

    control = Celery(broker=REDIS, set_as_current=False)
    try:
        while True:
            answered = {name for reply in control.control.ping(timeout=1.0) for name in reply}
            if answered >= set(names):
                return
            assert all(w.poll() is None for w in workers) and time.monotonic() < deadline, "a worker did not start"
    finally:
        control.close()


def _wait_for_scored(engine: sa.Engine, count: int, deadline: float) -> None:
    while True:
        with engine.connect() as conn:
            scored = conn.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.scored.is_(True)))
        if (scored or 0) >= count or time.monotonic() > deadline:
            return
        time.sleep(0.05)


def _wait_for_scoring(engine: sa.Engine, deadline: float) -> int:
    while True:
        with engine.connect() as conn:
            unscored = conn.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.scored.is_(False)))
        if not unscored or time.monotonic() > deadline:
            return int(unscored or 0)
        time.sleep(0.5)
