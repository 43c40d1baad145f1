"""Async scoring on an in-memory broker: what the API sends is read back from it, and tasks are run in the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask


@pytest.fixture
def hooked_auth(app: Flask, make_site: Any) -> dict[str, str]:
    """An API key for a site with a webhook."""
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    make_site(webhook_url="http://127.0.0.1:9/hook")
    with app.app_context():
        session = database().sessions()
        key = create_api_key(session, "Daily Chronicle")
        session.close()
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def celery(app: Flask, monkeypatch: pytest.MonkeyPatch, fixed_scorer: Any) -> Iterator[Any]:
    """The app's Celery app in async mode on Celery's in-memory broker (emptied after the test)."""
    celery = app.extensions["moderation.celery"]
    monkeypatch.setitem(app.config, "SCORING", "async")
    monkeypatch.setitem(celery.conf, "broker_url", "memory://")
    yield celery
    _clear()


def _clear() -> None:
    from kombu import Connection

    from moderation.tasks.celery_app import QUEUE

    with Connection("memory://") as conn:  # one in-memory broker per process, whatever a test pointed celery at
        conn.SimpleQueue(QUEUE).clear()


def sent_comment_ids(celery: Any) -> list[int]:
    """The comment ids of the scoring tasks waiting on the broker, taken off it in the order sent."""
    from moderation.tasks.celery_app import QUEUE
    from moderation.tasks.scoring import SCORE_COMMENT

    ids = []
    with celery.connection_for_write() as conn:
        queue = conn.SimpleQueue(QUEUE)
        while queue.qsize():
            message = queue.get(timeout=1)
            assert message.headers["task"] == SCORE_COMMENT
            args, _kwargs, _embed = message.decode()
            ids.append(args[0])
            message.ack()
    return ids


def run_task(celery: Any, comment_id: int) -> Any:
    """Run the scoring task here, as a worker would (retries included)."""
    from moderation.tasks.scoring import SCORE_COMMENT

    return celery.tasks[SCORE_COMMENT].apply(args=[comment_id])
