"""API keys are recognised from a per-process cache for API_KEY_CACHE_S seconds: a revocation or a site change made
elsewhere takes effect within that bound, one made through this process at once."""

from __future__ import annotations

import sqlalchemy as sa

from moderation.db.base import utcnow
from moderation.db.models import ApiKey, WebhookDelivery
from tests.api.conftest import comment_body

DELIVERIES = "/api/v1/webhook-deliveries"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _keys(app):
    return app.extensions["moderation.db"].keys


def _revoke_elsewhere(app) -> None:
    """Revoke every key the way another process (an operator's `revoke-api-key`) does: not through this process's
    sessions."""
    from moderation.extensions import get_engine

    with app.app_context(), get_engine().begin() as conn:
        conn.execute(sa.update(ApiKey).values(revoked_at=utcnow()))


def test_a_key_revoked_by_another_process_is_refused_once_the_cache_bound_has_passed(app, client, auth, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(_keys(app), "clock", clock)
    assert client.get(DELIVERIES, headers=auth).status_code == 200
    _revoke_elsewhere(app)
    clock.now += _keys(app).ttl_s - 0.1
    assert client.get(DELIVERIES, headers=auth).status_code == 200  # within the documented bound
    clock.now += 0.2
    assert client.get(DELIVERIES, headers=auth).status_code == 403
    clock.now += 100
    assert client.get(DELIVERIES, headers=auth).status_code == 403  # a refused key is never kept


def test_without_a_cache_a_revocation_elsewhere_is_refused_at_once(app, client, auth, monkeypatch):
    monkeypatch.setattr(_keys(app), "ttl_s", 0.0)
    assert client.get(DELIVERIES, headers=auth).status_code == 200
    _revoke_elsewhere(app)
    assert client.get(DELIVERIES, headers=auth).status_code == 403


def test_a_webhook_set_through_this_process_applies_to_the_next_comment(app, client, auth, runner, monkeypatch):
    monkeypatch.setattr(_keys(app), "clock", Clock())  # the bound never passes: only the commit empties the cache
    assert client.post("/api/v1/comments", json=comment_body("before"), headers=auth).status_code == 201
    assert runner.invoke(args=["moderation", "set-webhook", "--site", "Daily Chronicle", "--url",
                               "https://cms.example/h"]).exit_code == 0
    assert client.post("/api/v1/comments", json=comment_body("after"), headers=auth).status_code == 201
    from moderation.extensions import database

    with app.app_context():
        session = database().sessions()
        assert session.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery)) == 1
        session.close()


def test_a_key_revoked_through_this_process_is_refused_at_once(app, client, auth, api_key, runner, monkeypatch):
    monkeypatch.setattr(_keys(app), "clock", Clock())
    assert client.get(DELIVERIES, headers=auth).status_code == 200
    assert runner.invoke(args=["moderation", "revoke-api-key", api_key.split("_")[1]]).exit_code == 0
    assert client.get(DELIVERIES, headers=auth).status_code == 403
