"""Reader reports: enough of them move a published comment to the Reported queue (and may hide it)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import CommentStatus, Queue
from moderation.db.models import Comment, Report, Site
from moderation.policy.model import Named, Policy
from moderation.services.comment_state import get_comment
from moderation.services.records import audit, record_decision
from moderation.services.transaction import unit_of_work


def report_comment(
    session: Session, policy: Policy, site: Site, external_id: str, *, reason: str,
    note: str | None = None, reporter_external_id: str | None = None,
) -> Comment:
    """Record a reader's report; at the policy's threshold a published comment goes to the Reported queue.

    Raises NotFoundError for an unknown comment.
    """
    with unit_of_work(session):
        comment = get_comment(session, site.id, external_id, for_update=True)
        session.add(Report(comment_id=comment.id, reason=reason, note=note, reporter_external_id=reporter_external_id))
        session.execute(sa.update(Comment).where(Comment.id == comment.id)
                        .values(report_count=Comment.report_count + 1))
        session.refresh(comment)
        audit(session, actor="site", action="comment.report", entity_type="comment", entity_id=comment.id,
              site_id=site.id, reason=reason, report_count=comment.report_count)
        settings = policy.moderation
        if (comment.status == CommentStatus.PUBLISHED and comment.queue is None
                and comment.report_count >= settings.report_threshold):
            record_decision(
                session, comment, to_status=CommentStatus.PUBLISHED, to_queue=Queue.REPORTED, action="report",
                actor="site", reason=f"{comment.report_count} reader reports",
                policy=Named(policy.name, policy.version), hidden=True if settings.hide_reported else None,
            )
    return comment
