"""Load shedding: a request that waited past SHED_BUDGET_S for a worker thread is answered 503 at once, in its
surface's format, with nothing stored; health checks are never shed and /readyz reports the saturation."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from moderation.shedding import QUEUED_AT_KEY, Saturation
from tests.api.conftest import assert_problem, comment_body


@pytest.fixture
def budget(app, monkeypatch):
    monkeypatch.setitem(app.extensions, "moderation.saturation", Saturation(budget_s=0.5))  # nothing shed yet
    return 0.5


def _queued(seconds_ago: float) -> dict[str, float]:
    return {QUEUED_AT_KEY: time.monotonic() - seconds_ago}


def test_a_request_that_waited_past_the_budget_is_shed_at_once_and_stores_nothing(client, auth, budget, db):
    from moderation.db.models import Comment

    started = time.monotonic()
    late = client.post("/api/v1/comments", json=comment_body(), headers=auth, environ_base=_queued(2.2))
    assert time.monotonic() - started < 0.5
    body = assert_problem(late, 503)
    assert late.headers["Retry-After"] == "3" and "overloaded" in body["detail"]
    assert db.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
    db.commit()
    in_time = client.post("/api/v1/comments", json=comment_body(), headers=auth, environ_base=_queued(0.1))
    assert in_time.status_code == 201  # the retry (or any request that waited less) is served


def test_perspective_and_coral_are_shed_in_their_own_formats(client, api_key, budget):
    analyzed = client.post(f"/v1alpha1/comments:analyze?key={api_key}", environ_base=_queued(1),
                           json={"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}})
    assert analyzed.status_code == 503 and analyzed.get_json()["error"]["status"] == "UNAVAILABLE"
    assert analyzed.headers["Retry-After"] == "2"  # the second it waited, rounded up
    coral = client.post("/coral/v1/moderate/Daily Chronicle", data=b"{}", environ_base=_queued(1))
    assert coral.status_code == 503 and "overloaded" in coral.get_json()["error"]


def test_health_checks_are_never_shed_and_readyz_reports_the_saturation(client, auth, budget, app, monkeypatch):
    monkeypatch.setattr(app.extensions["moderation"].scorer, "ready", True, raising=False)
    assert client.get("/readyz").get_json()["load"]["shedding"] is False
    for _ in range(3):
        assert client.get("/api/v1/comments/c1", headers=auth, environ_base=_queued(5)).status_code == 503
    assert client.get("/healthz", environ_base=_queued(5)).status_code == 200
    ready = client.get("/readyz", environ_base=_queued(5))
    assert ready.status_code == 200
    load = ready.get_json()["load"]
    assert load["shedding"] is True and load["shed_total"] == 3 and load["budget_ms"] == 500
    assert load["queue_wait_ms"] > 0


def test_x_request_start_counts_only_behind_a_trusted_proxy(client, auth, budget, app, monkeypatch):
    late = {"X-Request-Start": f"t={time.time() - 3:.3f}", **auth}
    assert client.get("/api/v1/comments/c1", headers=late).status_code == 404  # not trusted: served
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    assert_problem(client.get("/api/v1/comments/c1", headers=late), 503)
    assert client.get("/api/v1/comments/c1", headers={**auth, "X-Request-Start": "t=garbage"}).status_code == 404
