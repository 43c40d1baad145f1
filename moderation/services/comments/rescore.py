"""Scoring the comments that could not be scored when they arrived, and deciding the ones still held for it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import CommentStatus, DecisionAction, Queue
from moderation.db.models import Comment
from moderation.policy.model import Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.comment_state import last_decision
from moderation.services.comments.guarded_scoring import score_within
from moderation.services.comments.outcome_store import redecide, store_score
from moderation.services.transaction import unit_of_work

log = logging.getLogger(__name__)


def rescore_unscored(
    session: Session, scorer: Scorer, policy_for: Callable[[str], Policy], *, timeout_s: float, batch_size: int = 32
) -> tuple[int, int]:
    """Score every unscored comment; those still held unscored are decided now. Returns (scored, failed).

    `policy_for` gives the policy named by each comment's site. Each comment is its own transaction, so an
    interrupted run keeps what it finished.
    """
    scored = failed = 0
    last_id = 0
    while True:
        ids = list(session.scalars(
            sa.select(Comment.id).where(Comment.scored.is_(False), Comment.id > last_id).order_by(Comment.id)
            .limit(batch_size)
        ))
        session.commit()
        if not ids:
            return scored, failed
        last_id = ids[-1]
        for comment_id in ids:
            if rescore_comment(session, scorer, policy_for, comment_id, timeout_s=timeout_s):
                scored += 1
            else:
                failed += 1


def unscored_ids(session: Session, *, stored_after: datetime | None = None,
                 stored_before: datetime | None = None) -> list[int]:
    """The ids of the comments not scored yet (stored within the bounds given), oldest first; the read is ended."""
    query = sa.select(Comment.id).where(Comment.scored.is_(False)).order_by(Comment.id)
    if stored_after is not None:
        query = query.where(Comment.created_at > stored_after)
    if stored_before is not None:
        query = query.where(Comment.created_at < stored_before)
    ids = list(session.scalars(query))
    session.commit()
    return ids


def rescore_comment(
    session: Session, scorer: Scorer, policy_for: Callable[[str], Policy], comment_id: int, *, timeout_s: float
) -> bool:
    """Score one comment and, while it is still held unscored, decide it; False when scoring failed.

    Safe to run twice, at once or one after the other (a redelivered task): the row is locked and a comment
    already scored is left alone, so a comment is decided once."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.scored:
        session.commit()
        return True
    policy = policy_for(comment.site.policy_name)
    text, revision, domains = comment.text, comment.revision, comment.site.domain_list
    session.commit()
    outcomes = score_within(scorer, policy, [text], site_domains=domains, timeout_s=timeout_s)
    if outcomes is None:
        return False
    with unit_of_work(session):
        session.refresh(comment, with_for_update=True)  # a takedown or edit meanwhile waits, or is seen here
        if comment.scored or comment.revision != revision:
            return True
        decision = last_decision(session, comment)
        still_held = (comment.status == CommentStatus.PENDING and comment.queue == Queue.REVIEW
                      and decision is not None and decision.action is DecisionAction.HOLD_UNSCORED)
        if still_held:
            redecide(session, comment, outcomes[0], policy)
        else:  # a moderator already decided it: keep their decision, add the score for the record
            store_score(session, comment, outcomes[0])
    log.info("rescored comment %s", comment_id)
    return True
