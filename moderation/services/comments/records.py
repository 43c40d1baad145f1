"""The one code path for changing a comment's status: decision row, audit log row and webhook outbox row.

API services and the moderator queue's services both call `record_decision`, inside their own transaction
(it flushes but never commits), so every status change is recorded and reported back the same way.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus, DecisionAction, Queue
from moderation.db.models import AuditLog, Comment, Decision, WebhookDelivery
from moderation.policy.model import Named
from moderation.services.comments import tallies

STATUS_EVENT = "comment.status_changed"


def audit(
    session: Session, *, actor: str, action: str, entity_type: str, entity_id: int | None,
    site_id: int | None, **detail: Any,
) -> None:
    """Append one row to the audit log."""
    session.add(AuditLog(actor=actor, action=action, entity_type=entity_type, entity_id=entity_id,
                         site_id=site_id, detail=detail))


def record_decision(
    session: Session,
    comment: Comment,
    *,
    to_status: CommentStatus,
    to_queue: Queue | None,
    action: DecisionAction,
    actor: str,
    reason: str = "",
    note: str | None = None,
    reader_message: str | None = None,
    user_id: int | None = None,
    policy: Named | None = None,
    model: Named | None = None,
    hidden: bool | None = None,
    initial: bool = False,
    detail: dict[str, Any] | None = None,
) -> Decision:
    """Move `comment` to `to_status`/`to_queue` and record who did it and why (caller commits).

    `actor` is "system", "site" or "user:<id>" (pass `user_id` too for a moderator). `hidden`, when given,
    sets whether the site should hide the comment; `reader_message` is what the commenter is told (the webhook
    and the API carry it; `note` stays in the audit log); `initial` marks the first decision on a new comment
    (recorded as a move from no status); `detail` adds to the audit row (a group decision names its group).
    Writes a Decision, an AuditLog row and, when the site
    has a webhook, a WebhookDelivery with the new state.

    A comment that is not published (pending, rejected, taken down) is always hidden: `hidden` only chooses
    for a published one (shown, or hidden while reported).
    """
    from_status, from_queue = (None, None) if initial else (comment.status, comment.queue)
    comment.status, comment.queue = to_status, to_queue
    if to_status != CommentStatus.PUBLISHED:
        comment.hidden = True
    elif hidden is not None:
        comment.hidden = hidden
    decision = Decision(
        comment=comment, actor=actor, user_id=user_id, action=action, reason=reason, note=note,
        reader_message=reader_message,
        policy_name=policy.name if policy else None, policy_version=policy.version if policy else None,
        model_name=model.name if model else None, model_version=model.version if model else None,
        from_status=from_status, to_status=to_status, from_queue=from_queue, to_queue=to_queue,
    )
    session.add(decision)
    session.flush()
    tallies.add(session, comment.site_id, tallies.day_of(decision.created_at),
                tallies.decision_counts(comment, decision, initial=initial))
    audit(session, actor=actor, action=f"comment.{action.value}", entity_type="comment", entity_id=comment.id,
          site_id=comment.site_id, from_status=_value(from_status), to_status=to_status.value,
          queue=_value(to_queue), reason=reason, decision_id=decision.id, **(detail or {}))
    if comment.site.webhook_url:
        session.add(WebhookDelivery(site_id=comment.site_id, comment_id=comment.id, event=STATUS_EVENT,
                                    body=json.dumps(status_event(comment, decision), ensure_ascii=False)))
    return decision


def status_event(comment: Comment, decision: Decision) -> dict[str, Any]:
    """The webhook payload telling the site where its comment now stands."""
    return {
        "event": STATUS_EVENT,
        "occurred_at": (decision.created_at or utcnow()).isoformat(),
        "comment": {
            "id": comment.id,
            "external_id": comment.external_id,
            "article_external_id": comment.article.external_id,
            "status": comment.status.value,
            "queue": _value(comment.queue),
            "hidden": comment.hidden,
        },
        "decision": {
            "id": decision.id,
            "action": decision.action.value,
            "actor": decision.actor,
            "reason": decision.reason,
            "reader_message": decision.reader_message,
            "from_status": _value(decision.from_status),
            "to_status": decision.to_status.value,
        },
    }


def _value(enum: Any) -> str | None:
    return None if enum is None else str(enum.value)
