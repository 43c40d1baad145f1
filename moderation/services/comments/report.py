"""Reader reports: enough distinct readers move a published comment to the Reported queue (and may hide it)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import CommentStatus, DecisionAction, Queue
from moderation.db.models import Comment, Report, Site
from moderation.policy.model import Named, Policy
from moderation.services.comments import tallies
from moderation.services.comments.comment_state import get_comment
from moderation.services.comments.records import audit, record_decision
from moderation.services.comments.surge import watch
from moderation.services.transaction import unit_of_work


@dataclass(frozen=True)
class Reported:
    """The comment after the report, and whether this request stored a report (False: the reader had already)."""

    comment: Comment
    created: bool


def report_comment(
    session: Session, policy: Policy, site: Site, external_id: str, *, reason: str,
    note: str | None = None, reporter_external_id: str | None = None,
) -> Reported:
    """Record a reader's report; at the policy's threshold of distinct readers a published comment goes to the
    Reported queue.

    `report_count` counts distinct reporters: a reader's second report (or a retry) stores nothing and counts
    nothing, and reports without a reporter id are kept for moderators but together count as one reader.
    Raises NotFoundError for an unknown comment.
    """
    with unit_of_work(session):
        comment = get_comment(session, site.id, external_id, for_update=True)  # reports of one comment queue here
        earlier = session.scalar(sa.select(sa.func.count(Report.id)).where(
            Report.comment_id == comment.id,
            Report.reporter_external_id.is_(None) if reporter_external_id is None
            else Report.reporter_external_id == reporter_external_id,
        )) or 0
        if earlier and reporter_external_id is not None:
            return Reported(comment, created=False)
        session.add(Report(comment_id=comment.id, reason=reason, note=note, reporter_external_id=reporter_external_id))
        if not earlier:  # a reader not counted yet
            session.execute(sa.update(Comment).where(Comment.id == comment.id)
                            .values(report_count=Comment.report_count + 1))
        session.flush()
        session.refresh(comment)
        tallies.add(session, site.id, tallies.day_of(None), tallies.report_counts(comment))
        watch(session, policy.moderation.surge, comment.article)
        audit(session, actor="site", action="comment.report", entity_type="comment", entity_id=comment.id,
              site_id=site.id, reason=reason, report_count=comment.report_count)
        settings = policy.moderation
        if (comment.status == CommentStatus.PUBLISHED and comment.queue is None
                and comment.report_count >= settings.report_threshold):
            record_decision(
                session, comment, to_status=CommentStatus.PUBLISHED, to_queue=Queue.REPORTED, action=DecisionAction.REPORT,
                actor="site", reason=f"{comment.report_count} reader reports",
                policy=Named(policy.name, policy.version), hidden=True if settings.hide_reported else None,
            )
    return Reported(comment, created=True)
