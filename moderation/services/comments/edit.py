"""Editing a comment: the new text is kept as a revision, scored again and decided again (in the request, or by the
scoring workers when a `Defer` is given)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import CommentStatus
from moderation.db.models import Comment, CommentRevision, Decision, Site
from moderation.policy.model import Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.comment_state import get_comment, last_decision
from moderation.services.comments.guarded_scoring import score_within
from moderation.services.comments.outcome_store import redecide
from moderation.services.comments.records import audit
from moderation.services.comments.submit import Defer, check_text, hand_off
from moderation.services.errors import ConflictError
from moderation.services.transaction import unit_of_work


@dataclass(frozen=True)
class Edited:
    """The comment after the edit, and whether its new revision was handed to the scoring workers (`defer`) rather
    than scored in the request (False too when the text was unchanged and nothing was stored)."""

    comment: Comment
    deferred: bool = False


def edit_comment(
    session: Session, scorer: Scorer, policy: Policy, site: Site, external_id: str, text: str, *, timeout_s: float,
    defer: Defer | None = None,
) -> Edited:
    """Replace the comment's text with a new revision and decide it again; the same text again changes nothing.

    With `defer`, the new revision is not scored here: it is stored held as "not scored yet" and the comment's id
    handed to `defer` once committed, as `submit_comment` does (a failed hand-off is logged; the comment stays held
    for the sweep or `rescore`).

    A reader cannot overturn a moderator by rewording: when a moderator's latest decision on the comment rejected
    it, redacted it (edit and approve) or sent it to legal review, an edit the policy would publish waits for a
    person instead, in Legal review after an escalation (where a held edit goes too), else in the review queue.

    Raises NotFoundError for an unknown comment, and ConflictError for one that was taken down, or that a
    moderator or the site decided while the new text was being scored (the edit is not stored; send it again).
    """
    check_text(text)
    comment = get_comment(session, site.id, external_id)
    decision = last_decision(session, comment)
    seen = decision.id if decision is not None else 0  # the state this edit is based on
    session.commit()  # end the read before scoring
    if comment.text == text:
        return Edited(comment)
    _check_editable(comment)
    outcome = None
    if defer is None:
        outcomes = score_within(scorer, policy, [text], site_domains=site.domain_list, timeout_s=timeout_s)
        outcome = outcomes[0] if outcomes else None
    with unit_of_work(session):
        session.refresh(comment, with_for_update=True)  # concurrent edits of one comment queue up here
        if comment.text == text:  # a concurrent retry of this edit got here first
            return Edited(comment)
        # Scoring took a while without a lock: whatever happened meanwhile is re-checked under it.
        _check_editable(comment)
        _check_not_decided_since(session, comment, seen)
        comment.revision += 1
        comment.text = text
        comment.scored = False
        comment.language = None  # until this revision is scored
        comment.revisions.append(CommentRevision(number=comment.revision, text=text))
        session.flush()
        redecide(session, comment, outcome, policy, deferred=defer is not None)
        audit(session, actor="site", action="comment.edit", entity_type="comment", entity_id=comment.id,
              site_id=site.id, revision=comment.revision)
    if defer is None:
        return Edited(comment)
    hand_off(defer, comment.id)
    return Edited(comment, deferred=True)


def _check_editable(comment: Comment) -> None:
    if comment.status == CommentStatus.TAKEN_DOWN:
        raise ConflictError(f"comment {comment.external_id!r} was taken down and cannot be edited")


def _check_not_decided_since(session: Session, comment: Comment, seen: int) -> None:
    """Refuse the edit when a moderator or the site (report threshold) decided the comment after the edit read it.

    Automatic decisions (another edit, a rescore) are not conflicts: this edit simply comes after them.
    """
    newer = session.scalar(
        sa.select(Decision).where(Decision.comment_id == comment.id, Decision.id > seen,
                                  Decision.actor != "system").order_by(Decision.id.desc()).limit(1)
    )
    if newer is not None:
        raise ConflictError(
            f"comment {comment.external_id!r} was decided ({newer.action.value} by {newer.actor}) while the edit was "
            "being scored; the edit was not stored, send it again"
        )
