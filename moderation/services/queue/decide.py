"""A moderator's choice: approve, reject with a guideline reason, escalate to legal, edit-and-approve, in bulk too
(the policy's own routing is `services.comments.routing`).

Every decision goes through `records.record_decision` (decision, audit and webhook rows). A conditional
UPDATE on the state the moderator saw makes concurrent decisions safe: exactly one wins, the other is told.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.blank import is_blank
from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus, DecisionAction, Queue
from moderation.db.models import Claim, Comment, CommentRevision, Decision, Score, User, WebhookDelivery
from moderation.errors import ModerationError
from moderation.policy.model import Named, Outcome, Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.guarded_scoring import score_within
from moderation.services.comments.outcome_store import store_score
from moderation.services.comments.records import audit, record_decision
from moderation.services.queue.accounts import Moderator
from moderation.services.queue.claims import active_claim
from moderation.services.queue.lists import queue_of
from moderation.services.queue.permissions import may_decide
from moderation.services.queue.spot_check import confirms_publication
from moderation.services.transaction import unit_of_work

log = logging.getLogger(__name__)

OTHER = "other"
EDIT_EVENT = "comment.edited"


class DecisionConflictError(ModerationError):
    """Someone else decided or changed the comment first, or holds it; nothing was recorded."""


class DecisionNotAllowedError(ModerationError):
    """The moderator's role may not take this decision here (the legal lane needs legal or admin)."""


class DecisionInputError(ModerationError):
    """The decision is incomplete: a rejection without a reason, "other" without a note, an empty edit."""


@dataclass(frozen=True)
class Seen:
    """The comment's state as the moderator saw it: status, queue and text revision."""

    status: CommentStatus
    queue: Queue | None
    revision: int

    @classmethod
    def parse(cls, value: str) -> Seen:
        """From "status:queue:revision" as the pages send it back."""
        try:
            status, queue, revision = value.split(":")
            return cls(CommentStatus(status), Queue(queue) if queue else None, int(revision))
        except ValueError:
            raise DecisionInputError("The page was out of date. Reload it and decide again.") from None


@dataclass(frozen=True)
class ModeratorChoice:
    """What the moderator chose (one of `DecisionAction.moderator_choices()`) and, for rejections, the guideline
    clause (or "other") and a note."""

    action: DecisionAction
    reason: str = ""
    note: str | None = None
    #: The moderator's own words to the commenter; none: the guideline's reader text.
    reader_message: str | None = None


@dataclass
class BulkOutcome:
    """Which comments a bulk decision decided, and why the others were left alone."""

    decided: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def _check_allowed(moderator: Moderator, comment: Comment, verb: DecisionAction, *, spot_check: bool = False) -> None:
    """`spot_check`: the policy published the comment and no moderator has decided it since, so an approval
    confirms it (the spot-check list)."""
    if not may_decide(moderator, queue_of(comment.status, comment.queue)):
        raise DecisionNotAllowedError("Only legal reviewers and admins decide comments in legal review or taken down.")
    if verb is DecisionAction.ESCALATE and comment.queue is Queue.LEGAL:
        raise DecisionInputError("This comment is already in legal review.")
    if (verb is DecisionAction.APPROVE and comment.status is CommentStatus.PUBLISHED and comment.queue is None
            and not spot_check):
        raise DecisionInputError("This comment is already approved.")
    if (
        verb is DecisionAction.REJECT
        and comment.status in (CommentStatus.REJECTED, CommentStatus.TAKEN_DOWN)
        and comment.queue is None
    ):
        raise DecisionInputError("This comment is already removed.")


def _policy_for(policies: Mapping[str, Policy], comment: Comment, score: Score | None) -> Named | None:
    policy = policies.get(comment.site.policy_name)
    if policy is not None:
        return Named(policy.name, policy.version)
    return Named(score.policy_name, score.policy_version) if score else None


@dataclass(frozen=True)
class _Why:
    reason: str
    note: str | None
    reader_message: str | None


def _check_reason(policies: Mapping[str, Policy], comment: Comment, choice: ModeratorChoice) -> _Why:
    """The rejection's clause (or "other"), the audit note, and what the commenter is told: the moderator's own
    words, else the clause's reader text (none for "other" without words of their own)."""
    note = (choice.note or "").strip() or None
    if choice.action is not DecisionAction.REJECT:
        return _Why("", note, None)
    own_words = (choice.reader_message or "").strip() or None
    policy = policies.get(comment.site.policy_name)
    clauses = {c.id: c for c in policy.clauses} if policy else {}
    if choice.reason == OTHER:
        if not note:
            raise DecisionInputError('A rejection for "other" needs a note saying why.')
        return _Why(OTHER, note, own_words)
    if choice.reason not in clauses:
        raise DecisionInputError('Choose the guideline the comment breaks, or "other" with a note.')
    return _Why(choice.reason, note, own_words or clauses[choice.reason].reader_text)


def _conflict_message(session: Session, comment: Comment, seen: Seen) -> str:
    if comment.revision != seen.revision:
        return "The author changed the text after you opened it. Nothing was decided: review the new text and decide again."
    last = session.execute(
        sa.select(Decision, User.email)
        .outerjoin(User, User.id == Decision.user_id)
        .where(Decision.comment_id == comment.id)
        .order_by(Decision.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return "This comment changed since you opened it. Reload to see it as it is now."
    decision, email = last
    who = email or decision.actor
    return f"Already decided by {who}: {decision.action.value} ({decision.to_status.value.replace('_', ' ')}). Nothing was changed."


def _lock(session: Session, moderator: Moderator, comment_id: int, seen: Seen) -> Comment:
    """Load the comment and take it from the seen state, or raise; the UPDATE holds the row until commit."""
    comment = session.get(Comment, comment_id, populate_existing=True)
    if comment is None:
        raise DecisionConflictError("That comment no longer exists.")
    if (comment.status, comment.queue, comment.revision) != (seen.status, seen.queue, seen.revision):
        raise DecisionConflictError(_conflict_message(session, comment, seen))
    claim = active_claim(session, comment_id, moderator.id)
    if claim is not None and not claim.mine:
        raise DecisionConflictError(f"{claim.holder} is reviewing this comment right now; it was left to them.")
    queue_cond = Comment.queue.is_(None) if seen.queue is None else Comment.queue == seen.queue
    taken = session.execute(
        sa.update(Comment)
        .where(Comment.id == comment_id, Comment.status == seen.status, queue_cond, Comment.revision == seen.revision)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise DecisionConflictError(
            _conflict_message(session, session.get(Comment, comment_id, populate_existing=True) or comment, seen)
        )
    return comment


def _latest_score(session: Session, comment_id: int) -> Score | None:
    return session.scalar(sa.select(Score).where(Score.comment_id == comment_id).order_by(Score.id.desc()).limit(1))


def _record(
    session: Session,
    policies: Mapping[str, Policy],
    moderator: Moderator,
    comment: Comment,
    action: DecisionAction,
    reason: str,
    note: str | None,
    reader_message: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Decision:
    score = _latest_score(session, comment.id)
    model = Named(score.model_name, score.model_version) if score else None
    if action is DecisionAction.ESCALATE:
        to_status, to_queue, hidden = CommentStatus.PENDING, Queue.LEGAL, True
    elif action is DecisionAction.REJECT:
        removed = CommentStatus.TAKEN_DOWN if comment.status is CommentStatus.PUBLISHED else CommentStatus.REJECTED
        to_status, to_queue, hidden = removed, None, True
    else:
        to_status, to_queue, hidden = CommentStatus.PUBLISHED, None, False
    decision = record_decision(
        session,
        comment,
        to_status=to_status,
        to_queue=to_queue,
        action=action,
        actor=f"user:{moderator.id}",
        reason=reason,
        note=note,
        reader_message=reader_message,
        user_id=moderator.id,
        policy=_policy_for(policies, comment, score),
        model=model,
        hidden=hidden,
        detail=detail,
    )
    session.execute(sa.delete(Claim).where(Claim.comment_id == comment.id))
    return decision


def decide_comment(
    session: Session,
    policies: Mapping[str, Policy],
    moderator: Moderator,
    comment_id: int,
    seen: Seen,
    choice: ModeratorChoice,
    detail: dict[str, Any] | None = None,
) -> Decision:
    """Approve, reject or escalate one comment as one unit of work; raises if someone else got there first.
    `detail` goes into the decision's audit row (a group decision names the group)."""
    with unit_of_work(session):
        comment = _lock(session, moderator, comment_id, seen)
        _check_allowed(moderator, comment, choice.action, spot_check=confirms_publication(session, comment))
        why = _check_reason(policies, comment, choice)
        decision = _record(
            session, policies, moderator, comment, choice.action, why.reason, why.note, why.reader_message, detail
        )
    log.info("%s %s comment %s", moderator.email, choice.action.value, comment_id)
    return decision


def decide_comments(
    session: Session,
    policies: Mapping[str, Policy],
    moderator: Moderator,
    items: Sequence[tuple[int, Seen]],
    choice: ModeratorChoice,
    detail: dict[str, Any] | None = None,
) -> BulkOutcome:
    """The same decision for several comments, each its own unit of work so one conflict spares the rest."""
    outcome = BulkOutcome()
    for comment_id, seen in items:
        try:
            decide_comment(session, policies, moderator, comment_id, seen, choice, detail)
        except (DecisionConflictError, DecisionNotAllowedError, DecisionInputError) as exc:
            outcome.refused.append((comment_id, str(exc)))
        else:
            outcome.decided.append(comment_id)
    return outcome


def _score_edit(session: Session, policies: Mapping[str, Policy], scorer: Scorer, comment_id: int, text: str,
                timeout_s: float) -> Outcome | None:
    """The edited text's outcome, scored before any lock is taken; None when the comment or its policy is unknown or
    the scorer failed (the approval stands; the page then says the reasons are for an earlier text)."""
    comment = session.get(Comment, comment_id)
    policy = policies.get(comment.site.policy_name) if comment is not None else None
    domains = comment.site.domain_list if comment is not None else ()
    session.commit()  # end the read before scoring
    if policy is None:
        return None
    outcomes = score_within(scorer, policy, [text], site_domains=domains, timeout_s=timeout_s)
    return outcomes[0] if outcomes else None


def edit_and_approve(
    session: Session,
    policies: Mapping[str, Policy],
    scorer: Scorer,
    moderator: Moderator,
    comment_id: int,
    seen: Seen,
    new_text: str,
    note: str | None = None,
    *,
    timeout_s: float,
) -> Decision:
    """Publish a redacted text as a new revision; the original stays in the revision history, marked edited.

    The edited text is scored like any other, so what the comment page says about it describes the text as
    published; the moderator's approval stands whatever the score."""
    text = new_text.replace("\r\n", "\n").strip()
    if is_blank(text):
        raise DecisionInputError("The edited text is empty; reject the comment instead.")
    outcome = _score_edit(session, policies, scorer, comment_id, text, timeout_s)
    with unit_of_work(session):
        comment = _lock(session, moderator, comment_id, seen)
        _check_allowed(moderator, comment, DecisionAction.APPROVE)
        if text == comment.text:
            raise DecisionInputError("The text was not changed; approve it as it is instead.")
        numbers = set(
            session.scalars(sa.select(CommentRevision.number).where(CommentRevision.comment_id == comment.id))
        )
        if comment.revision not in numbers:  # keep the text being replaced
            session.add(CommentRevision(comment_id=comment.id, number=comment.revision, text=comment.text))
        comment.revision += 1
        comment.text = text
        session.add(CommentRevision(comment_id=comment.id, number=comment.revision, text=text, editor_id=moderator.id))
        if outcome is not None:
            store_score(session, comment, outcome)
        session.flush()
        # The new text reaches the site before the status change that publishes it.
        if comment.site.webhook_url:
            body = {
                "event": EDIT_EVENT,
                "occurred_at": utcnow().isoformat(),
                "comment": {
                    "id": comment.id,
                    "external_id": comment.external_id,
                    "revision": comment.revision,
                    "text": text,
                    "edited_by_moderator": True,
                },
            }
            session.add(
                WebhookDelivery(site_id=comment.site_id, comment_id=comment.id, event=EDIT_EVENT,
                                body=json.dumps(body, ensure_ascii=False))
            )
        decision = _record(
            session, policies, moderator, comment, DecisionAction.EDIT_APPROVE, "edited", (note or "").strip() or None
        )
        audit(
            session,
            actor=f"user:{moderator.id}",
            action="comment.moderator_edit",
            entity_type="comment",
            entity_id=comment.id,
            site_id=comment.site_id,
            revision=comment.revision,
            decision_id=decision.id,
            by=moderator.email,
        )
    log.info("%s edited and approved comment %s", moderator.email, comment_id)
    return decision
