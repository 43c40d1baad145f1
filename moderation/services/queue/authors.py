"""A commenter's record for moderators, and the actions on them: always pre-moderate, ban, lift."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import AuthorStatus, CommentStatus
from moderation.db.models import Article, Author, Comment, Report
from moderation.errors import ModerationError
from moderation.services.comments.records import audit
from moderation.services.queue.accounts import Moderator
from moderation.services.transaction import unit_of_work

log = logging.getLogger(__name__)


class AuthorAction(StrEnum):
    """What a moderator can do to a commenter."""

    PREMODERATE = "premoderate"
    BAN = "ban"
    LIFT = "lift"


_TARGET = {
    AuthorAction.PREMODERATE: AuthorStatus.PREMODERATED,
    AuthorAction.BAN: AuthorStatus.BANNED,
    AuthorAction.LIFT: AuthorStatus.NORMAL,
}


class AuthorNotFoundError(ModerationError):
    """There is no such commenter."""


@dataclass(frozen=True)
class RecentComment:
    """One of the author's recent comments."""

    id: int
    text: str
    status: str
    created_at: datetime
    article_title: str


@dataclass(frozen=True)
class RecentReport:
    """A reader report against one of the author's comments."""

    comment_id: int
    reason: str
    note: str | None
    created_at: datetime


@dataclass(frozen=True)
class AuthorHistory:
    """What a moderator should know about a commenter before deciding."""

    id: int
    name: str
    external_id: str
    status: str
    total: int
    approved: int
    rejected: int
    taken_down: int
    pending: int
    reports: int
    recent: tuple[RecentComment, ...]
    recent_reports: tuple[RecentReport, ...]


def author_history(session: Session, author_id: int, *, limit: int = 8) -> AuthorHistory:
    """The author's counts by status, recent comments and recent reports against them."""
    author = session.get(Author, author_id)
    if author is None:
        raise AuthorNotFoundError("There is no such commenter.")
    by_status = dict(
        session.execute(
            sa.select(Comment.status, sa.func.count()).where(Comment.author_id == author_id).group_by(Comment.status)
        ).all()
    )
    reports = (
        session.scalar(
            sa.select(sa.func.count()).select_from(Report).join(Comment).where(Comment.author_id == author_id)
        )
        or 0
    )
    recent = session.execute(
        sa.select(Comment, Article.title)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.author_id == author_id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()
    recent_reports = session.scalars(
        sa.select(Report)
        .join(Comment)
        .where(Comment.author_id == author_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
    ).all()
    return AuthorHistory(
        id=author.id,
        name=author.display_name,
        external_id=author.external_id,
        status=author.standing().value,
        total=sum(by_status.values()),
        approved=by_status.get(CommentStatus.PUBLISHED, 0),
        rejected=by_status.get(CommentStatus.REJECTED, 0),
        taken_down=by_status.get(CommentStatus.TAKEN_DOWN, 0),
        pending=by_status.get(CommentStatus.PENDING, 0),
        reports=reports,
        recent=tuple(RecentComment(c.id, c.text, c.status.value, c.created_at, title) for c, title in recent),
        recent_reports=tuple(RecentReport(r.comment_id, r.reason, r.note, r.created_at) for r in recent_reports),
    )


def act_on_author(
    session: Session, moderator: Moderator, author_id: int, action: AuthorAction, note: str | None = None
) -> str:
    """Set the author's standing (future comments held, rejected, or treated normally); audited."""
    with unit_of_work(session):
        author = session.get(Author, author_id)
        if author is None:
            raise AuthorNotFoundError("There is no such commenter.")
        before = author.status
        author.status = _TARGET[action]
        if action is AuthorAction.LIFT:
            author.suspended_until = None  # lifting ends a suspension too
        audit(
            session,
            actor=f"user:{moderator.id}",
            action=f"author.{action.value}",
            entity_type="author",
            entity_id=author.id,
            site_id=author.site_id,
            from_status=before.value,
            to_status=author.status.value,
            note=(note or "").strip() or None,
        )
    log.info("%s set author %s to %s", moderator.email, author_id, author.status.value)
    return author.display_name
