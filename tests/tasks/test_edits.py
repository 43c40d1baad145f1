"""MODERATION_SCORING=async and edits: the new text is stored as a revision held "not scored yet" and answered 202
without the model; the scoring task decides that revision, and the decision goes out by webhook as for a new one."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from moderation.db.enums import CommentStatus, DecisionAction
from moderation.db.models import Comment, CommentRevision, Decision, Score, WebhookDelivery
from tests.api.conftest import comment_body
from tests.fakes import FailingScorer
from tests.tasks.conftest import run_task, sent_comment_ids

FRIENDLY = "Thoughtful piece on the monsoon session, thank you."
ABUSIVE = "You are a fucking idiot and a piece of shit"


def _actions(db, comment_id: int) -> list[DecisionAction]:
    rows = list(db.scalars(sa.select(Decision.action).where(Decision.comment_id == comment_id).order_by(Decision.id)))
    db.commit()
    return rows


def _decided(client, celery, auth, text: str = FRIENDLY) -> int:
    """A comment posted and decided by the workers; returns its id."""
    assert client.post("/api/v1/comments", json=comment_body("c1", text), headers=auth).status_code == 202
    (comment_id,) = sent_comment_ids(celery)
    assert run_task(celery, comment_id).result is True
    return comment_id


def test_an_edit_is_stored_held_not_scored_yet_and_answered_202_without_the_model(app, client, hooked_auth, celery,
                                                                                  db, monkeypatch):
    comment_id = _decided(client, celery, hooked_auth)
    forbidden = FailingScorer(lambda texts: AssertionError(f"scored in the request: {list(texts)!r}"))
    monkeypatch.setattr(app.extensions["moderation"], "scorer", forbidden)
    response = client.put("/api/v1/comments/c1", json={"text": ABUSIVE}, headers=hooked_auth)
    assert forbidden.calls == 0
    assert response.status_code == 202
    body = response.get_json()
    assert (body["status"], body["queue"], body["reason"], body["revision"]) == (
        "pending", "review", "not scored yet", 2)
    assert (body["scores"], body["clauses"], body["model"]) == ({}, [], None)  # not the first revision's scores
    comment = db.get(Comment, comment_id)
    assert (comment.text, comment.scored, comment.hidden) == (ABUSIVE, False, True)
    assert [r.text for r in db.scalars(sa.select(CommentRevision).order_by(CommentRevision.number))] == [
        FRIENDLY, ABUSIVE]
    db.commit()
    assert sent_comment_ids(celery) == [comment_id]
    assert _actions(db, comment_id) == [DecisionAction.HOLD_UNSCORED, DecisionAction.PUBLISH,
                                        DecisionAction.HOLD_UNSCORED]


def test_the_worker_decides_the_edited_text_once_and_the_webhook_and_api_follow(app, client, hooked_auth, celery, db):
    comment_id = _decided(client, celery, hooked_auth)
    client.put("/api/v1/comments/c1", json={"text": ABUSIVE}, headers=hooked_auth)
    (sent,) = sent_comment_ids(celery)
    assert run_task(celery, sent).result is True
    assert run_task(celery, sent).result is True  # redelivered: nothing more happens
    assert _actions(db, comment_id) == [DecisionAction.HOLD_UNSCORED, DecisionAction.PUBLISH,
                                        DecisionAction.HOLD_UNSCORED, DecisionAction.REJECT]
    scores = list(db.scalars(sa.select(Score).where(Score.comment_id == comment_id).order_by(Score.id)))
    assert [s.revision for s in scores] == [1, 2] and scores[1].label_scores["insult"] == pytest.approx(0.85)
    db.commit()
    bodies = [json.loads(b) for b in db.scalars(sa.select(WebhookDelivery.body).order_by(WebhookDelivery.id))]
    db.commit()
    edit_hooks = [(b["comment"]["status"], b["decision"]["reason"]) for b in bodies[2:]]
    assert edit_hooks[0] == ("pending", "not scored yet") and [s for s, _ in edit_hooks] == ["pending", "rejected"]
    with app.app_context():
        detail = client.get("/api/v1/comments/c1", headers=hooked_auth).get_json()
    assert (detail["status"], detail["revision"], detail["text"]) == ("rejected", 2, ABUSIVE)


def test_an_edit_after_a_moderators_rejection_still_waits_for_a_person_once_scored(app, client, hooked_auth, celery,
                                                                                   db):
    from moderation.services.comments.records import record_decision

    comment_id = _decided(client, celery, hooked_auth, ABUSIVE)
    record_decision(db, db.get(Comment, comment_id), to_status=CommentStatus.REJECTED, to_queue=None,
                    action=DecisionAction.REJECT, actor="user:1", reason="personal_attack")
    db.commit()
    response = client.put("/api/v1/comments/c1", json={"text": FRIENDLY}, headers=hooked_auth)
    assert response.status_code == 202 and response.get_json()["reason"] == "not scored yet"
    (sent,) = sent_comment_ids(celery)
    run_task(celery, sent)
    db.expire_all()
    comment = db.get(Comment, comment_id)
    assert (comment.status, comment.scored) == (CommentStatus.PENDING, True)
    last = db.scalars(sa.select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id.desc())).first()
    assert (last.action, last.reason) == (DecisionAction.HOLD, "edited after a moderator rejected it")


def test_the_same_text_again_changes_nothing_and_sends_nothing(app, client, hooked_auth, celery, db):
    comment_id = _decided(client, celery, hooked_auth)
    with app.app_context():  # a request of its own, as in a server (the db fixture's context would share its session)
        response = client.put("/api/v1/comments/c1", json={"text": FRIENDLY}, headers=hooked_auth)
    assert response.status_code == 200 and response.get_json()["status"] == "published"
    assert sent_comment_ids(celery) == []
    assert len(_actions(db, comment_id)) == 2


def test_an_unreachable_broker_still_stores_the_edit_held_for_the_sweep(client, hooked_auth, celery, db, monkeypatch):
    comment_id = _decided(client, celery, hooked_auth)
    monkeypatch.setitem(celery.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.put("/api/v1/comments/c1", json={"text": ABUSIVE}, headers=hooked_auth)
    assert response.status_code == 202
    comment = db.get(Comment, comment_id)
    assert (comment.text, comment.scored, comment.status) == (ABUSIVE, False, CommentStatus.PENDING)
    db.commit()


def test_sync_mode_scores_the_edit_in_the_request_and_sends_nothing(app, client, hooked_auth, celery, monkeypatch):
    monkeypatch.setitem(app.config, "SCORING", "sync")
    assert client.post("/api/v1/comments", json=comment_body("c1", FRIENDLY), headers=hooked_auth).status_code == 201
    response = client.put("/api/v1/comments/c1", json={"text": ABUSIVE}, headers=hooked_auth)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["revision"]) == ("rejected", 2) and body["scores"]["insult"] == pytest.approx(0.85)
    assert sent_comment_ids(celery) == []
