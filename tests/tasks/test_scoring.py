"""MODERATION_SCORING=async: the API stores the comment held as "not scored yet" and answers 202; the scoring task
decides it once by the site's policy, and the decision goes out by webhook and reads back in the API."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
import sqlalchemy as sa

from moderation.db.enums import CommentStatus, DecisionAction
from moderation.db.models import Comment, Decision, Score, WebhookDelivery
from moderation.errors import ScoringError
from tests.api.conftest import comment_body
from tests.fakes import FailingScorer
from tests.tasks.conftest import run_task, sent_comment_ids

ABUSIVE = "You are a fucking idiot and a piece of shit"


def _decisions(db, comment_id: int) -> list[Decision]:
    rows = list(db.scalars(sa.select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id)))
    db.commit()
    return rows


def _webhook_statuses(db) -> list[tuple[str, str]]:
    bodies = [json.loads(b) for b in db.scalars(sa.select(WebhookDelivery.body).order_by(WebhookDelivery.id))]
    db.commit()
    return [(b["comment"]["status"], b["decision"]["reason"]) for b in bodies]


def test_a_comment_is_answered_202_held_as_not_scored_yet_and_sent_to_the_workers(client, hooked_auth, celery, db):
    response = client.post("/api/v1/comments", json=comment_body("c1", ABUSIVE), headers=hooked_auth)
    assert response.status_code == 202
    body = response.get_json()
    assert (body["status"], body["queue"], body["reason"], body["scores"]) == ("pending", "review", "not scored yet", {})
    comment = db.scalars(sa.select(Comment)).one()
    assert comment.scored is False
    db.commit()
    assert sent_comment_ids(celery) == [comment.id]
    assert [d.action for d in _decisions(db, comment.id)] == [DecisionAction.HOLD_UNSCORED]


def test_the_task_decides_by_the_sites_policy_once_and_the_webhook_and_api_follow(app, client, hooked_auth, celery,
                                                                                  db):
    client.post("/api/v1/comments", json=comment_body("c1", ABUSIVE), headers=hooked_auth)
    (comment_id,) = sent_comment_ids(celery)
    assert run_task(celery, comment_id).result is True
    assert run_task(celery, comment_id).result is True  # redelivered: nothing more happens
    decisions = _decisions(db, comment_id)
    assert [d.action for d in decisions] == [DecisionAction.HOLD_UNSCORED, DecisionAction.REJECT]
    assert decisions[1].model_name == "fixed"
    assert db.scalar(sa.select(sa.func.count()).select_from(Score)) == 1
    db.commit()
    statuses = _webhook_statuses(db)
    assert [s for s, _ in statuses] == ["pending", "rejected"] and statuses[0][1] == "not scored yet"
    with app.app_context():  # a request of its own, as in a server (the db fixture's context would share its session)
        detail = client.get("/api/v1/comments/c1", headers=hooked_auth).get_json()
    assert detail["status"] == "rejected" and detail["scores"]["insult"] == pytest.approx(0.85)
    assert [d["action"] for d in detail["decisions"]] == ["hold_unscored", "reject"]


def test_a_retry_of_the_post_answers_the_stored_comment_and_sends_nothing_more(client, hooked_auth, celery):
    assert client.post("/api/v1/comments", json=comment_body("c1"), headers=hooked_auth).status_code == 202
    again = client.post("/api/v1/comments", json=comment_body("c1"), headers=hooked_auth)
    assert again.status_code == 200 and again.get_json()["reason"] == "not scored yet"
    assert len(sent_comment_ids(celery)) == 1


def test_two_workers_running_the_same_task_at_once_decide_it_once(client, hooked_auth, celery, db):
    client.post("/api/v1/comments", json=comment_body("c1"), headers=hooked_auth)
    (comment_id,) = sent_comment_ids(celery)
    start = threading.Barrier(4)
    results: list[Any] = []

    def work() -> None:
        start.wait()
        results.append(run_task(celery, comment_id).result)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == [True] * 4
    assert [d.action for d in _decisions(db, comment_id)] == [DecisionAction.HOLD_UNSCORED, DecisionAction.PUBLISH]
    assert db.scalar(sa.select(sa.func.count()).select_from(Score)) == 1


def test_a_moderator_who_decided_first_keeps_the_decision(client, hooked_auth, celery, db):
    from moderation.services.comments.records import record_decision

    client.post("/api/v1/comments", json=comment_body("c1", ABUSIVE), headers=hooked_auth)
    (comment_id,) = sent_comment_ids(celery)
    comment = db.get(Comment, comment_id)
    record_decision(db, comment, to_status=CommentStatus.PUBLISHED, to_queue=None, action=DecisionAction.APPROVE,
                    actor="user:1", reason="fair comment")
    db.commit()
    run_task(celery, comment_id)
    db.expire_all()
    comment = db.get(Comment, comment_id)
    assert comment.status is CommentStatus.PUBLISHED and comment.scored is True
    assert [d.action for d in _decisions(db, comment_id)][-1] is DecisionAction.APPROVE


def test_a_scorer_failure_is_retried_then_leaves_the_comment_held(app, client, hooked_auth, celery, db, monkeypatch):
    client.post("/api/v1/comments", json=comment_body("c1", ABUSIVE), headers=hooked_auth)
    (comment_id,) = sent_comment_ids(celery)
    broken = FailingScorer(lambda texts: ScoringError("model crashed"))
    monkeypatch.setattr(app.extensions["moderation"], "scorer", broken)
    monkeypatch.setitem(app.config, "SCORING_TASK_RETRIES", 2)
    result = run_task(celery, comment_id)
    assert result.result is False and broken.calls == 3
    comment = db.get(Comment, comment_id)
    assert (comment.status, comment.scored) == (CommentStatus.PENDING, False)  # held for a person, not lost
    db.commit()
    assert [d.action for d in _decisions(db, comment_id)] == [DecisionAction.HOLD_UNSCORED]


def test_an_unreachable_broker_still_stores_the_comment_held_for_rescore(client, hooked_auth, celery, db, runner,
                                                                          monkeypatch):
    monkeypatch.setitem(celery.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.post("/api/v1/comments", json=comment_body("c1", ABUSIVE), headers=hooked_auth)
    assert response.status_code == 202 and response.get_json()["reason"] == "not scored yet"
    result = runner.invoke(args=["moderation", "rescore"])
    assert result.exit_code == 0, result.output
    assert db.scalars(sa.select(Comment)).one().status is CommentStatus.REJECTED


def test_queue_rescore_hands_every_unscored_comment_to_the_workers(client, hooked_auth, celery, runner, db):
    for n in range(3):
        client.post("/api/v1/comments", json=comment_body(f"c{n}"), headers=hooked_auth)
    assert len(sent_comment_ids(celery)) == 3
    result = runner.invoke(args=["moderation", "queue-rescore"])
    assert result.exit_code == 0 and "3 comments queued" in result.output
    ids = sent_comment_ids(celery)
    assert ids == sorted(db.scalars(sa.select(Comment.id)))
    db.commit()
    for comment_id in ids:
        run_task(celery, comment_id)
    assert db.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.scored.is_(False))) == 0


def test_sync_mode_scores_in_the_request_and_sends_nothing(client, hooked_auth, celery, app, monkeypatch):
    monkeypatch.setitem(app.config, "SCORING", "sync")
    response = client.post("/api/v1/comments", json=comment_body("c1", ABUSIVE), headers=hooked_auth)
    assert response.status_code == 201 and response.get_json()["status"] == "rejected"
    assert sent_comment_ids(celery) == []


def test_the_sweep_sends_again_only_comments_left_unscored_past_the_grace_period(app, client, hooked_auth, celery,
                                                                                 db, monkeypatch):
    from datetime import timedelta

    from moderation.db.base import utcnow
    from moderation.tasks.sweep import sweep_once

    for n in range(4):
        client.post("/api/v1/comments", json=comment_body(f"c{n}"), headers=hooked_auth)
    lost, _fresh, scored, ancient = sent_comment_ids(celery)  # the broker "lost" them all: nothing is waiting
    run_task(celery, scored)
    now = utcnow()
    for comment_id, age in ((lost, timedelta(minutes=2)), (scored, timedelta(minutes=2)), (ancient, timedelta(hours=2))):
        db.get(Comment, comment_id).created_at = now - age
    db.commit()
    monkeypatch.setitem(app.config, "SCORING_SWEEP_S", 60.0)
    assert sweep_once(app) == 1
    assert sent_comment_ids(celery) == [lost]  # not the one within its grace period: its task may be on its way


def test_the_sweep_waits_while_scoring_tasks_are_still_waiting_on_the_broker(app, client, hooked_auth, celery, db,
                                                                            monkeypatch):
    from datetime import timedelta

    from moderation.db.base import utcnow
    from moderation.tasks.sweep import sweep_once, waiting_tasks

    assert waiting_tasks(celery) == 0  # no queue yet
    for n in range(3):
        client.post("/api/v1/comments", json=comment_body(f"c{n}"), headers=hooked_auth)
    db.execute(sa.update(Comment).values(created_at=utcnow() - timedelta(minutes=2)))
    db.commit()
    monkeypatch.setitem(app.config, "SCORING_SWEEP_S", 60.0)
    assert waiting_tasks(celery) == 3
    assert sweep_once(app) == 0  # a backlog being worked through: old, not lost
    first, *rest = sent_comment_ids(celery)
    for comment_id in rest:
        run_task(celery, comment_id)
    assert waiting_tasks(celery) == 0
    assert sweep_once(app) == 1  # nothing waits, and the first is still not scored: its task was lost
    assert sent_comment_ids(celery) == [first]
