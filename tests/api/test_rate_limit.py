"""Rate limits per API key: 429 as a problem, counted in memory or in Redis when configured."""

from __future__ import annotations

import uuid

import pytest
import redis

from moderation import create_app
from tests.api.conftest import assert_problem, comment_body


def _limited_app(database_url, app, storage_uri):
    return create_app({
        "TESTING": True, "DATABASE_URL": database_url, "LOAD_MODEL_AT_START": False,
        "MODEL_CACHE_DIR": app.config["MODEL_CACHE_DIR"], "RATELIMIT_DEFAULT": "3 per minute",
        "RATELIMIT_STORAGE_URI": storage_uri, "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex,
    })


def _redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.parametrize("storage_uri", [
    "memory://",
    pytest.param("redis://127.0.0.1:6379/0", marks=pytest.mark.skipif(not _redis_available(), reason="no Redis")),
])
def test_each_key_gets_its_own_limit_and_the_excess_is_429(database_url, app, api_key, storage_uri):
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    limited = _limited_app(database_url, app, storage_uri)
    client = limited.test_client()
    headers = {"Authorization": f"Bearer {api_key}"}
    for _ in range(3):
        assert client.get("/api/v1/webhook-deliveries", headers=headers).status_code == 200
    response = client.get("/api/v1/webhook-deliveries", headers=headers)
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0
    with limited.app_context():
        session = database().sessions()
        other = create_api_key(session, "Daily Chronicle")
        session.close()
    assert client.get("/api/v1/webhook-deliveries", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    assert client.get("/healthz").status_code == 200  # health checks are not limited
    for _ in range(5):
        assert client.get("/healthz").status_code == 200


def test_an_unreachable_redis_does_not_refuse_requests(database_url, app, api_key):
    limited = _limited_app(database_url, app, "redis://127.0.0.1:1/0")
    client = limited.test_client()
    response = client.get("/api/v1/webhook-deliveries", headers={"Authorization": f"Bearer {api_key}"})
    assert response.status_code == 200


def test_perspective_drop_in_is_limited_per_key_with_googles_quota_error(database_url, app, api_key):
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    client = _limited_app(database_url, app, "memory://").test_client()
    for _ in range(3):  # an empty body is refused before any scoring; each request still counts
        assert client.post(f"/v1alpha1/comments:analyze?key={api_key}", json={}).status_code == 400
    response = client.post(f"/v1alpha1/comments:analyze?key={api_key}", json={})
    assert response.status_code == 429 and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == 429 and error["status"] == "RESOURCE_EXHAUSTED"
    assert error["message"].startswith("Quota exceeded")
    assert int(response.headers["Retry-After"]) > 0
    with app.app_context():
        session = database().sessions()
        other = create_api_key(session, "Daily Chronicle")
        session.close()
    response = client.post("/v1alpha1/comments:analyze", json={}, headers={"X-Goog-Api-Key": other})
    assert response.status_code == 400


def test_coral_phase_is_limited_per_site_and_caller_address(database_url, app, make_site):
    make_site()
    client = _limited_app(database_url, app, "memory://").test_client()
    url = "/coral/v1/moderate/Daily Chronicle"
    for _ in range(3):  # unsigned: refused in the view, counted against this caller only
        assert client.post(url, data=b"{}", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 401
    response = client.post(url, data=b"{}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 429 and "error" in response.get_json()
    assert int(response.headers["Retry-After"]) > 0
    assert client.post(url, data=b"{}", environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 401


def test_forged_keys_with_a_real_keys_prefix_are_counted_by_address_not_against_the_key(database_url, app, api_key):
    client = _limited_app(database_url, app, "memory://").test_client()
    forged = {"Authorization": f"Bearer {api_key[:-4]}XXXX"}  # the real key's public prefix, a wrong secret
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(3):
        assert client.get("/api/v1/webhook-deliveries", headers=forged, environ_base=attacker).status_code == 403
    assert_problem(client.get("/api/v1/webhook-deliveries", headers=forged, environ_base=attacker), 429)
    assert_problem(client.get("/api/v1/webhook-deliveries", headers={"Authorization": "Bearer mk_nope"},
                              environ_base=attacker), 429)  # any other failing key from there too
    real = {"Authorization": f"Bearer {api_key}"}
    for _ in range(3):  # the real key's allowance is untouched, even from the same address
        assert client.get("/api/v1/webhook-deliveries", headers=real, environ_base=attacker).status_code == 200


def _budgeted_app(database_url, app, budget: str):
    from tests.fakes import FixedScorer

    budgeted = create_app({
        "TESTING": True, "DATABASE_URL": database_url, "LOAD_MODEL_AT_START": False,
        "MODEL_CACHE_DIR": app.config["MODEL_CACHE_DIR"], "RATELIMIT_DEFAULT": "1000 per minute",
        "PREVIEW_BUDGET": budget,
    })
    budgeted.extensions["moderation"].scorer = FixedScorer()
    return budgeted


def test_each_keys_previews_have_a_budget_of_characters(database_url, app, api_key):
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    client = _budgeted_app(database_url, app, "100 per minute").test_client()
    headers = {"Authorization": f"Bearer {api_key}"}
    forty = "A fair point about the monsoon session."
    assert client.post("/api/v1/score", json={"texts": [forty, forty]}, headers=headers).status_code == 200
    spent = client.post("/api/v1/score", json={"texts": [forty]}, headers=headers)  # 117 characters > 100
    body = assert_problem(spent, 429)
    assert "preview budget" in body["detail"] and 0 < int(spent.headers["Retry-After"]) <= 60
    assert client.post("/api/v1/comments", json=comment_body(), headers=headers).status_code == 201  # comments go on
    with app.app_context():
        session = database().sessions()
        other = {"Authorization": f"Bearer {create_api_key(session, 'Daily Chronicle')}"}
        session.close()
    # A key's first preview larger than the whole budget still runs (charged the whole budget), its next does not.
    assert client.post("/api/v1/score", json={"texts": ["x" * 500]}, headers=other).status_code == 200
    assert_problem(client.post("/api/v1/score", json={"texts": ["x"]}, headers=other), 429)


def test_perspective_analyses_share_the_preview_budget_with_googles_quota_error(database_url, app, api_key):
    client = _budgeted_app(database_url, app, "50 per minute").test_client()
    url = f"/v1alpha1/comments:analyze?key={api_key}"
    request = {"comment": {"text": "A fair point about the monsoon session."}, "requestedAttributes": {"TOXICITY": {}}}
    assert client.post(url, json=request).status_code == 200
    response = client.post(url, json=request)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    error = response.get_json()["error"]
    assert error["status"] == "RESOURCE_EXHAUSTED" and "preview budget" in error["message"]


def test_a_malformed_preview_budget_stops_the_app_at_start(database_url, app):
    from moderation.errors import ConfigError

    with pytest.raises(ConfigError, match="MODERATION_PREVIEW_BUDGET='lots'"):
        _budgeted_app(database_url, app, "lots")
