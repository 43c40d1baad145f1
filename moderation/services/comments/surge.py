"""The surge watch: a story whose held share or report rate jumps is flagged for the editors and, when the policy
says so, pre-moderated until an editor lifts it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus
from moderation.db.models import Article, Comment, Report
from moderation.policy.model import Surge
from moderation.services.comments.records import audit
from moderation.services.errors import NotFoundError
from moderation.services.transaction import unit_of_work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recent:
    """A story's comments of the watch's window: how many, how many held or rejected for a guideline, and reader
    reports."""

    comments: int
    held: int
    reports: int


def surge_reason(settings: Surge, recent: Recent) -> str | None:
    """Why the story is on surge watch, or None (pure: the policy's settings and the window's counts)."""
    if not settings.min_comments or recent.comments < settings.min_comments:
        return None
    share = recent.held / recent.comments
    if settings.held_share and share >= settings.held_share:
        return f"{round(100 * share)}% of {recent.comments} comments held in {settings.window_minutes} min"
    rate = recent.reports / recent.comments
    if settings.report_rate and rate >= settings.report_rate:
        return f"{recent.reports} reports on {recent.comments} comments in {settings.window_minutes} min"
    return None


def recent_counts(session: Session, article_id: int, since: datetime) -> Recent:
    """The story's window, read on its (article, status) index and the reports' comment index."""
    # Held for what a guideline found: a comment held only because the story is pre-moderated does not count,
    # or lifting the watch would set it off again.
    held = sa.case((sa.and_(Comment.status.in_((CommentStatus.PENDING, CommentStatus.REJECTED)),
                            Comment.fired_clauses != ""), 1), else_=0)
    comments, held_n = session.execute(
        sa.select(sa.func.count(Comment.id), sa.func.coalesce(sa.func.sum(held), 0))
        .where(Comment.article_id == article_id, Comment.created_at >= since)
    ).one()
    reports = session.scalar(
        sa.select(sa.func.count(Report.id)).join(Comment, Comment.id == Report.comment_id)
        .where(Comment.article_id == article_id, Report.created_at >= since)
    ) or 0
    return Recent(int(comments or 0), int(held_n or 0), int(reports))


def watch(session: Session, settings: Surge, article: Article) -> bool:
    """Flag the story (and pre-moderate it, when the policy says so) if its window passes the watch's tests;
    inside the caller's transaction. Returns whether it was flagged now."""
    if not settings.min_comments or article.surge_at is not None:
        return False
    now = utcnow()
    reason = surge_reason(settings, recent_counts(session, article.id, now - timedelta(minutes=settings.window_minutes)))
    if reason is None:
        return False
    article.surge_at, article.surge_reason = now, reason
    if settings.premoderate:
        article.premoderate_all = True
    audit(session, actor="system", action="article.surge", entity_type="article", entity_id=article.id,
          site_id=article.site_id, reason=reason, premoderate=settings.premoderate)
    log.info("surge watch: article %s: %s", article.id, reason)
    return True


def lift_surge(session: Session, actor: str, article_id: int) -> Article:
    """An editor lifts the surge watch: the flag goes, and so does the pre-moderation it set."""
    with unit_of_work(session):
        article = session.get(Article, article_id)
        if article is None or article.surge_at is None:
            raise NotFoundError(f"article {article_id} is not on surge watch")
        article.surge_at, article.surge_reason, article.premoderate_all = None, None, False
        audit(session, actor=actor, action="article.surge_lifted", entity_type="article", entity_id=article.id,
              site_id=article.site_id)
    return article
