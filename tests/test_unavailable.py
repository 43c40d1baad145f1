"""A database outage is a 503 with Retry-After, at once, on every surface in its own format; retrying is safe."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from moderation.unavailable import RETRY_AFTER_S
from tests.api.conftest import comment_body

#: Nothing listens on the discard port: every connection is refused, as when PostgreSQL is stopped.
STOPPED_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:9/moderation"


@pytest.fixture
def down_app(tmp_path, monkeypatch) -> Flask:
    """An app whose database is down."""
    from moderation import create_app

    monkeypatch.setenv("MODERATION_INSTANCE_PATH", str(tmp_path))
    return create_app({"TESTING": True, "DATABASE_URL": STOPPED_DATABASE, "LOAD_MODEL_AT_START": False,
                       "SECRET_KEY": "test-secret-key", "RATELIMIT_DEFAULT": "100000 per minute"})


def _quick(call):
    started = time.monotonic()
    response = call()
    assert time.monotonic() - started < 1.0
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.headers["Retry-After"] == str(RETRY_AFTER_S)
    return response


def test_the_json_api_answers_503_problem_with_retry_after(down_app):
    client = down_app.test_client()
    auth = {"Authorization": "Bearer mk_0123456789ab_secret"}
    for call in (lambda: client.post("/api/v1/comments", json=comment_body(), headers=auth),
                 lambda: client.get("/api/v1/comments/c1", headers=auth)):
        response = _quick(call)
        assert response.mimetype == "application/problem+json"
        body = response.get_json()
        assert body["status"] == 503 and "retry" in body["detail"] and body["type"].endswith("#problem-unavailable")


def test_perspective_answers_unavailable_in_googles_format(down_app):
    client = down_app.test_client()
    response = _quick(lambda: client.post("/v1alpha1/comments:analyze?key=mk_0123456789ab_secret",
                                          json={"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}}))
    assert response.get_json()["error"]["code"] == 503
    assert response.get_json()["error"]["status"] == "UNAVAILABLE"


def test_coral_gets_503_json_and_the_queue_its_error_page(down_app):
    client = down_app.test_client()
    coral = _quick(lambda: client.post("/coral/v1/moderate/Daily Chronicle", data=b"{}",
                                       headers={"Content-Type": "application/json"}))
    assert "unavailable" in coral.get_json()["error"]
    # a signed-in moderator's cookie (the queue writes none for a request that did not bring one)
    signer = down_app.session_interface.get_signing_serializer(down_app)
    client.set_cookie(down_app.config["SESSION_COOKIE_NAME"],
                      signer.dumps({"uid": 1, "stamp": "x", "since": time.time()}))
    page = _quick(lambda: client.get("/queue/"))
    assert page.mimetype == "text/html" and "unavailable" in page.get_data(as_text=True).lower()


def test_readyz_says_the_database_is_down(down_app):
    response = _quick(lambda: down_app.test_client().get("/readyz"))
    assert "database" in response.get_json()["detail"]
