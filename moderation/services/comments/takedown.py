"""The site's editors take down a comment they no longer want shown."""

from __future__ import annotations

from sqlalchemy.orm import Session

from moderation.db.enums import CommentStatus, DecisionAction
from moderation.db.models import Comment, Site
from moderation.services.comments.comment_state import get_comment
from moderation.services.comments.records import record_decision
from moderation.services.transaction import unit_of_work


def takedown_comment(
    session: Session, site: Site, external_id: str, *, reason: str, note: str | None = None
) -> Comment:
    """Take the comment down (status taken_down, out of every queue); taking it down again changes nothing.

    Raises NotFoundError for an unknown comment.
    """
    with unit_of_work(session):
        comment = get_comment(session, site.id, external_id, for_update=True)
        if comment.status != CommentStatus.TAKEN_DOWN:
            record_decision(session, comment, to_status=CommentStatus.TAKEN_DOWN, to_queue=None, action=DecisionAction.TAKEDOWN,
                            actor="site", reason=reason, note=note, hidden=True)
    return comment
