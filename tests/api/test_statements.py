"""The SQL one new comment costs: on PostgreSQL each statement is a round trip the request thread waits on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event

from moderation.db.models import ApiKey, AuditLog, Author, Comment, Decision, Score, WebhookDelivery
from tests.api.conftest import comment_body

#: Statements (transaction control aside) and transactions of one new comment's POST, on a site with a webhook,
#: its key seen a moment ago, its article and author already known (docs/benchmarks.md lists them). SQLite inserts
#: the comment's two audit rows one by one (its RETURNING gives no row order to batch on); PostgreSQL in one.
STATEMENTS = {"postgresql": 13, "sqlite": 14}
TRANSACTIONS = 2


@contextmanager
def recorded(engine: sa.Engine) -> Iterator[tuple[list[str], list[int]]]:
    """The statements sent to `engine` meanwhile (BEGIN left out), and one entry per transaction committed."""
    statements: list[str] = []
    commits: list[int] = []

    def on_execute(_conn, _cursor, statement, _parameters, _context, _executemany):
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    def on_commit(_conn):
        commits.append(1)

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        yield statements, commits
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)


def _site_with_webhook(app, api_key):
    from moderation.extensions import database, get_engine
    from moderation.services.sites import set_webhook

    with app.app_context():
        session = database().sessions()
        set_webhook(session, "Daily Chronicle", "https://cms.example/hooks")
        session.close()
        return get_engine()


def test_a_new_comment_takes_at_most_the_statements_and_transactions_of_the_benchmark(app, client, auth, api_key):
    # No app context is held around the requests (the `db` fixture holds one): each request gets its own, as in
    # production, so nothing is remembered from one request to the next in `g`.
    engine = _site_with_webhook(app, api_key)
    assert client.post("/api/v1/comments", json=comment_body("first"), headers=auth).status_code == 201
    with recorded(engine) as (statements, commits):
        response = client.post("/api/v1/comments", json=comment_body("second", "Another view on the session."),
                               headers=auth)
    assert response.status_code == 201
    listing = "\n".join(s.split("\n")[0][:120] for s in statements)
    assert len(statements) <= STATEMENTS[engine.dialect.name], listing
    assert len(commits) <= TRANSACTIONS, listing
    # Everything the request stores is there all the same: comment, score, decision, outbox and audit rows, count.
    from moderation.extensions import database

    with app.app_context():
        db = database().sessions()
        _check_stored(db, response)
        db.close()


def _check_stored(db, response):
    comment = db.scalar(sa.select(Comment).where(Comment.external_id == "second"))
    assert comment is not None and comment.scored
    assert db.scalar(sa.select(sa.func.count()).select_from(Score).where(Score.comment_id == comment.id)) == 1
    assert db.scalar(sa.select(sa.func.count()).select_from(Decision).where(Decision.comment_id == comment.id)) == 1
    assert db.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery)
                     .where(WebhookDelivery.comment_id == comment.id)) == 1
    actions = db.scalars(sa.select(AuditLog.action).where(AuditLog.entity_type == "comment",
                                                          AuditLog.entity_id == comment.id).order_by(AuditLog.id))
    assert list(actions) == ["comment.publish", "comment.submit"]
    assert db.scalar(sa.select(Author.comment_count)) == 2
    assert db.scalar(sa.select(ApiKey.revoked_at)) is None


def test_the_answer_built_from_what_was_written_is_what_a_retry_reads_back(post_comment, fixed_scorer):
    abusive = "You are a fucking idiot and a piece of shit"
    answers = []
    for external_id, text in (("plain", "Thoughtful piece."), ("abusive", abusive),
                              ("link", "Read more at https://example.com/x today.")):
        first = post_comment(external_id=external_id, text=text)
        again = post_comment(external_id=external_id, text=text)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.get_json() == again.get_json()
        answers.append(first.get_json())
    assert [a["status"] for a in answers] == ["published", "rejected", "pending"]
    assert answers[1]["clauses"] and answers[1]["clauses"][0]["spans"]


def test_a_comment_held_unscored_answers_as_a_retry_reads_it(post_comment, broken_scorer):
    first = post_comment()
    again = post_comment()
    assert first.get_json()["reason"] == "not scored" and first.get_json() == again.get_json()
