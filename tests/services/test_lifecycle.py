"""After submission: edits, reader reports, takedowns, rescoring, and the shared record_decision path."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from moderation.db.enums import CommentStatus, DecisionAction, Queue
from moderation.db.models import AuditLog, Comment, CommentRevision, Decision, Report, Score, WebhookDelivery
from moderation.policy.model import Moderation
from moderation.services.comments.edit import edit_comment
from moderation.services.comments.records import record_decision
from moderation.services.comments.report import report_comment
from moderation.services.comments.rescore import rescore_unscored
from moderation.services.comments.routing import NOT_SCORED
from moderation.services.comments.takedown import takedown_comment
from moderation.services.errors import ConflictError, NotFoundError
from tests.conftest import FailingScorer
from tests.services.conftest import ABUSIVE, FRIENDLY, comment_input


def test_edit_keeps_a_revision_and_decides_again(db, scorer, policy, site, submit):
    submit()
    comment = edit_comment(db, scorer, policy, site, "c1", ABUSIVE, timeout_s=30).comment
    assert (comment.text, comment.revision, comment.status) == (ABUSIVE, 2, CommentStatus.REJECTED)
    assert [r.text for r in db.scalars(sa.select(CommentRevision).order_by(CommentRevision.number))] == [
        FRIENDLY, ABUSIVE]
    assert [s.revision for s in db.scalars(sa.select(Score).order_by(Score.id))] == [1, 2]
    assert [d.to_status for d in db.scalars(sa.select(Decision).order_by(Decision.id))] == [
        CommentStatus.PUBLISHED, CommentStatus.REJECTED]


def test_each_score_leaves_the_queues_its_risk_to_sort_and_filter_by(db, scorer, policy, site, submit):
    from tests.services.conftest import INSULT

    comment = submit(comment_input(text=INSULT)).comment
    latest = db.scalar(sa.select(Score).order_by(Score.id.desc()))
    fired = {c["clause"]: c for c in latest.clauses if c["action"] == "review"}
    assert "personal_attack" in fired and comment.risk_rank == 2  # a harm held for review
    assert comment.risk_score == max(c["score"] for c in fired.values())
    assert comment.fired_clauses == "".join(f" {c}" for c in sorted(fired)) + " "
    comment = edit_comment(db, scorer, policy, site, "c1", FRIENDLY, timeout_s=30).comment
    assert (comment.risk_rank, comment.risk_score, comment.fired_clauses) == (-1, 0.0, "")
    comment = edit_comment(db, scorer, policy, site, "c1", ABUSIVE, timeout_s=30).comment
    assert comment.risk_rank == 3 and " obscene " in comment.fired_clauses  # a harm in its reject band


def test_an_edit_after_a_moderator_rejected_the_comment_waits_for_a_moderator(db, scorer, policy, site, submit):
    from moderation.services.comments.routing import AFTER_MODERATOR
    from tests.services.conftest import INSULT

    comment = submit(comment_input(text=INSULT)).comment
    record_decision(db, comment, to_status=CommentStatus.REJECTED, to_queue=None, action=DecisionAction.REJECT, actor="user:1",
                    reason="personal attack")
    db.commit()
    for text in (FRIENDLY, FRIENDLY + " Well argued."):  # a second rewording does not get past it either
        comment = edit_comment(db, scorer, policy, site, "c1", text, timeout_s=30).comment
        assert (comment.status, comment.queue, comment.hidden) == (CommentStatus.PENDING, Queue.REVIEW, True)
        assert db.scalar(sa.select(Decision.reason).order_by(Decision.id.desc()).limit(1)) == AFTER_MODERATOR["reject"]
    record_decision(db, comment, to_status=CommentStatus.PUBLISHED, to_queue=None, action=DecisionAction.APPROVE,
                    actor="user:1", reason="fixed")
    db.commit()
    comment = edit_comment(db, scorer, policy, site, "c1", FRIENDLY + " Thanks.", timeout_s=30).comment
    assert comment.status == CommentStatus.PUBLISHED  # once a moderator approved it, edits are decided as usual
    comment = edit_comment(db, scorer, policy, site, "c1", ABUSIVE, timeout_s=30).comment
    assert comment.status == CommentStatus.REJECTED


@pytest.mark.parametrize(("action", "queue"), [("edit_approve", Queue.REVIEW), ("escalate", Queue.LEGAL)])
def test_an_edit_cannot_undo_a_moderators_redaction_or_escalation(db, scorer, policy, site, submit, action, queue):
    from moderation.services.comments.routing import AFTER_MODERATOR
    from tests.services.conftest import INSULT

    comment = submit().comment
    to = (CommentStatus.PUBLISHED, None) if action == "edit_approve" else (CommentStatus.PENDING, Queue.LEGAL)
    record_decision(db, comment, to_status=to[0], to_queue=to[1], action=DecisionAction(action), actor="user:1", reason="checked")
    db.commit()
    comment = edit_comment(db, scorer, policy, site, "c1", FRIENDLY + " Indeed.", timeout_s=30).comment
    assert (comment.status, comment.queue, comment.hidden) == (CommentStatus.PENDING, queue, True)
    assert db.scalar(sa.select(Decision.reason).order_by(Decision.id.desc()).limit(1)) == AFTER_MODERATOR[action]
    comment = edit_comment(db, scorer, policy, site, "c1", INSULT, timeout_s=30).comment  # held by the policy too
    assert (comment.status, comment.queue) == (CommentStatus.PENDING, queue)


def test_an_edit_after_the_policy_rejected_the_comment_is_decided_afresh(db, scorer, policy, site, submit):
    submit(comment_input(text=ABUSIVE))
    comment = edit_comment(db, scorer, policy, site, "c1", FRIENDLY, timeout_s=30).comment
    assert (comment.status, comment.hidden) == (CommentStatus.PUBLISHED, False)


def test_edit_with_the_same_text_changes_nothing(db, scorer, policy, site, submit):
    submit()
    edit_comment(db, scorer, policy, site, "c1", FRIENDLY, timeout_s=30)
    assert db.scalar(sa.select(sa.func.count()).select_from(CommentRevision)) == 1


def test_edit_of_unknown_or_taken_down_comment_is_refused(db, scorer, policy, site, submit):
    with pytest.raises(NotFoundError):
        edit_comment(db, scorer, policy, site, "nope", "x", timeout_s=30)
    submit()
    takedown_comment(db, site, "c1", reason="legal request")
    with pytest.raises(ConflictError):
        edit_comment(db, scorer, policy, site, "c1", "changed", timeout_s=30)


def test_reports_move_a_published_comment_to_the_reported_queue_at_the_threshold(db, policy, site, submit):
    submit()
    for n, reader in enumerate((None, "reader-1"), start=1):  # no reporter id: still one reader
        comment = report_comment(db, policy, site, "c1", reason="abuse", reporter_external_id=reader).comment
        assert (comment.report_count, comment.queue, comment.hidden) == (n, None, False)
    comment = report_comment(db, policy, site, "c1", reason="abuse", reporter_external_id="reader-9").comment
    assert (comment.status, comment.queue, comment.hidden) == (CommentStatus.PUBLISHED, Queue.REPORTED, True)
    decision = db.scalars(sa.select(Decision).order_by(Decision.id.desc())).first()
    assert (decision.action, decision.from_queue, decision.to_queue) == ("report", None, Queue.REPORTED)
    report_comment(db, policy, site, "c1", reason="abuse", reporter_external_id="reader-4")  # no second move
    assert db.scalar(sa.select(sa.func.count()).select_from(Decision)) == 2


def test_a_reader_counts_once_however_often_they_report(db, policy, site, submit):
    submit()
    results = [report_comment(db, policy, site, "c1", reason="abuse", reporter_external_id="reader-1")
               for _ in range(3)]
    assert [r.created for r in results] == [True, False, False]
    results = [report_comment(db, policy, site, "c1", reason="spam") for _ in range(3)]
    assert [r.created for r in results] == [True, True, True]  # kept for moderators, counted once
    comment = results[-1].comment
    assert (comment.report_count, comment.queue, comment.hidden) == (2, None, False)
    assert db.scalar(sa.select(sa.func.count()).select_from(Report)) == 4


def test_reported_comments_stay_visible_when_the_policy_says_so(db, policy, site, submit):
    submit()
    lenient = dataclasses.replace(policy, moderation=Moderation(report_threshold=1, hide_reported=False))
    comment = report_comment(db, lenient, site, "c1", reason="spam").comment
    assert (comment.queue, comment.hidden) == (Queue.REPORTED, False)


def test_takedown_records_the_decision_and_notifies_the_site(db, site, submit):
    submit()
    comment = takedown_comment(db, site, "c1", reason="court order", note="case 12/2026")
    assert (comment.status, comment.queue, comment.hidden) == (CommentStatus.TAKEN_DOWN, None, True)
    decision = db.scalars(sa.select(Decision).order_by(Decision.id.desc())).first()
    assert (decision.actor, decision.action, decision.reason, decision.note) == (
        "site", "takedown", "court order", "case 12/2026")
    assert db.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery)) == 2
    takedown_comment(db, site, "c1", reason="again")
    assert db.scalar(sa.select(sa.func.count()).select_from(Decision)) == 2


def test_rescore_scores_and_decides_the_comments_held_as_not_scored(db, scorer, policy, submit):
    submit(comment_input("c1"), scorer=FailingScorer())
    submit(comment_input("c2", ABUSIVE), scorer=FailingScorer())
    assert rescore_unscored(db, FailingScorer(), lambda name: policy, timeout_s=30) == (0, 2)
    assert rescore_unscored(db, scorer, lambda name: policy, timeout_s=30) == (2, 0)
    db.expire_all()
    statuses = {c.external_id: (c.status, c.scored) for c in db.scalars(sa.select(Comment))}
    assert statuses == {"c1": (CommentStatus.PUBLISHED, True), "c2": (CommentStatus.REJECTED, True)}
    assert rescore_unscored(db, scorer, lambda name: policy, timeout_s=30) == (0, 0)


def test_rescore_of_an_edit_after_a_moderators_rejection_still_waits_for_a_moderator(db, scorer, policy, site,
                                                                                     submit):
    from moderation.services.comments.routing import AFTER_MODERATOR
    from tests.services.conftest import INSULT

    comment = submit(comment_input(text=INSULT)).comment
    record_decision(db, comment, to_status=CommentStatus.REJECTED, to_queue=None, action=DecisionAction.REJECT, actor="user:1",
                    reason="personal attack")
    db.commit()
    edit_comment(db, FailingScorer(), policy, site, "c1", FRIENDLY, timeout_s=30)  # held as not scored
    assert rescore_unscored(db, scorer, lambda name: policy, timeout_s=30) == (1, 0)
    db.expire_all()
    assert (comment.status, comment.queue, comment.scored) == (CommentStatus.PENDING, Queue.REVIEW, True)
    assert db.scalar(sa.select(Decision.reason).order_by(Decision.id.desc()).limit(1)) == AFTER_MODERATOR["reject"]


def test_rescore_keeps_a_moderator_decision(db, scorer, policy, submit):
    comment = submit(scorer=FailingScorer()).comment
    record_decision(db, comment, to_status=CommentStatus.REJECTED, to_queue=None, action=DecisionAction.REJECT, actor="user:1",
                    reason="off-topic")
    db.commit()
    rescore_unscored(db, scorer, lambda name: policy, timeout_s=30)
    db.expire_all()
    assert (comment.status, comment.scored) == (CommentStatus.REJECTED, True)
    assert db.scalars(sa.select(Decision.reason).order_by(Decision.id)).all() == [NOT_SCORED, "off-topic"]


def test_record_decision_writes_decision_audit_and_outbox_rows(db, submit):
    comment = submit(comment_input(text=ABUSIVE)).comment
    before = db.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    decision = record_decision(db, comment, to_status=CommentStatus.PUBLISHED, to_queue=None, action=DecisionAction.APPROVE,
                               actor="user:7", reason="satire, allowed", hidden=False)
    db.commit()
    assert (decision.from_status, decision.to_status) == (CommentStatus.REJECTED, CommentStatus.PUBLISHED)
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == before + 1
    body = db.scalars(sa.select(WebhookDelivery.body).order_by(WebhookDelivery.id.desc())).first()
    assert '"to_status": "published"' in body and '"actor": "user:7"' in body


def test_an_edit_that_passes_takes_a_reported_comment_out_of_hiding(db, scorer, policy, site, submit):
    submit()
    for reader in ("r1", "r2", "r3"):
        report_comment(db, policy, site, "c1", reason="abuse", reporter_external_id=reader)
    assert db.scalar(sa.select(Comment.hidden)) is True
    comment = edit_comment(db, scorer, policy, site, "c1", "Reworded politely, with a source.", timeout_s=30).comment
    assert (comment.status, comment.queue, comment.hidden) == (CommentStatus.PUBLISHED, None, False)
