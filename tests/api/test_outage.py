"""The database failing in the middle of a request: 503 with Retry-After, nothing half-written, the retry stores
the comment exactly once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.api.conftest import assert_problem, comment_body


@pytest.fixture
def failing_writes(app):
    """The database goes down when the next comment is inserted (as when PostgreSQL stops), and every statement
    fails until the test brings it back (`state["down"] = False`)."""

    engine = app.extensions["moderation.db"].engine
    state = {"down": False, "armed": True}

    def drop(conn, cursor, statement, parameters, context, executemany):  # noqa: PLR0913
        if state["armed"] and statement.lstrip().upper().startswith("INSERT INTO COMMENTS"):
            state["armed"], state["down"] = False, True
        if state["down"]:
            raise sa.exc.OperationalError(statement, parameters, Exception("server closed the connection"))

    event.listen(engine, "before_cursor_execute", drop)
    yield state
    event.remove(engine, "before_cursor_execute", drop)


def _count(app, model) -> int:
    from moderation.extensions import database

    with app.app_context():
        session = database().sessions()
        try:
            return int(session.scalar(sa.select(sa.func.count()).select_from(model)))
        finally:
            session.close()


def test_a_write_cut_off_is_503_and_the_retry_stores_it_once(app, client, auth, failing_writes, caplog):
    from moderation.db.models import Comment, WebhookDelivery

    cut = client.post("/api/v1/comments", json=comment_body(), headers=auth)
    body = assert_problem(cut, 503)
    assert cut.headers["Retry-After"] == "5" and "retry" in body["detail"]
    failing_writes["down"] = False
    assert _count(app, Comment) == 0 and _count(app, WebhookDelivery) == 0  # nothing half-written
    retried = client.post("/api/v1/comments", json=comment_body(), headers=auth)
    assert retried.status_code == 201
    again = client.post("/api/v1/comments", json=comment_body(), headers=auth)
    assert again.status_code == 200 and again.get_json()["id"] == retried.get_json()["id"]
    assert _count(app, Comment) == 1
