"""Submitting comments: scored, decided, stored once, never lost."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from moderation.db.enums import CommentStatus, Queue
from moderation.db.models import AuditLog, Comment, CommentRevision, Decision, Score, WebhookDelivery
from moderation.services.comments.routing import NOT_SCORED
from moderation.services.errors import ConflictError, InvalidRequestError
from tests.conftest import FailingScorer
from tests.services.conftest import ABUSIVE, DEFAMATORY, FRIENDLY, INSULT, comment_input


def _count(db, model) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(model))


def test_friendly_comment_is_published_with_score_decision_audit_and_webhook(db, submit, scorer):
    result = submit()
    comment = result.comment
    assert result.created
    assert (comment.status, comment.queue, comment.scored) == (CommentStatus.PUBLISHED, None, True)
    score = db.scalar(sa.select(Score))
    assert (score.model_name, score.model_version) == (scorer.name, scorer.version)
    assert score.policy_name == "default" and set(score.label_scores) >= {"toxicity", "insult"}
    decision = db.scalar(sa.select(Decision))
    assert (decision.actor, decision.action, decision.from_status, decision.to_status) == (
        "system", "publish", None, CommentStatus.PUBLISHED)
    assert decision.model_name == scorer.name and decision.policy_version == score.policy_version
    assert db.scalar(sa.select(CommentRevision.text)) == FRIENDLY
    assert _count(db, AuditLog) >= 2
    assert _count(db, WebhookDelivery) == 1


@pytest.mark.parametrize(("text", "status", "queue"), [
    (ABUSIVE, CommentStatus.REJECTED, None),
    (INSULT, CommentStatus.PENDING, Queue.REVIEW),
    (DEFAMATORY, CommentStatus.PENDING, Queue.LEGAL),
])
def test_policy_outcome_decides_status_and_queue(db, submit, text, status, queue):
    comment = submit(comment_input(text=text)).comment
    assert (comment.status, comment.queue) == (status, queue)
    decision = db.scalar(sa.select(Decision))
    assert decision.reason  # the fired clause's reason is recorded


def test_retry_returns_the_stored_comment_and_stores_nothing_new(db, submit):
    first = submit().comment
    again = submit()
    assert not again.created and again.comment.id == first.id
    assert (_count(db, Comment), _count(db, Decision), _count(db, Score)) == (1, 1, 1)


def test_retry_with_different_text_is_a_conflict(db, submit):
    submit()
    with pytest.raises(ConflictError):
        submit(comment_input(text="Something else entirely"))
    assert _count(db, Comment) == 1


def test_scorer_failure_stores_the_comment_pending_not_scored(db, submit):
    comment = submit(scorer=FailingScorer()).comment
    assert (comment.status, comment.queue, comment.scored) == (CommentStatus.PENDING, Queue.REVIEW, False)
    assert db.scalar(sa.select(Decision.reason)) == NOT_SCORED
    assert _count(db, Score) == 0


class SlowScorer(FailingScorer):
    def score(self, texts):
        time.sleep(5.0)
        return [{"toxicity": 0.0} for _ in texts]


def test_scorer_timeout_stores_the_comment_pending_not_scored(db, submit):
    started = time.perf_counter()
    comment = submit(scorer=SlowScorer(), timeout_s=0.2).comment
    assert time.perf_counter() - started < 4.0  # answered at the deadline, not when the model finished
    assert (comment.status, comment.queue, comment.scored) == (CommentStatus.PENDING, Queue.REVIEW, False)
    assert db.scalar(sa.select(Decision.reason)) == NOT_SCORED


def test_nul_characters_are_refused(submit):
    with pytest.raises(InvalidRequestError):
        submit(comment_input(text="a\x00b"))


def test_comments_on_a_closed_article_are_refused(db, site, submit):
    from moderation.services.comments.articles import update_article

    submit()
    update_article(db, site, "a1", comments_closed=True)
    with pytest.raises(ConflictError):
        submit(comment_input("c2"))


def test_replies_need_a_known_parent(submit):
    with pytest.raises(InvalidRequestError):
        submit(comment_input("c2", parent="nope"))
    parent = submit().comment
    reply = submit(comment_input("c2", parent="c1")).comment
    assert reply.parent_id == parent.id


def test_a_new_author_and_article_are_created_once(db, submit):
    from moderation.db.models import Article, Author

    for i in range(3):
        submit(comment_input(f"c{i}"))
    assert (_count(db, Article), _count(db, Author)) == (1, 1)
    assert db.scalar(sa.select(Author.comment_count)) == 3
