"""Per-story moderation: each story's waiting, legal and reported comments, and opening or closing its comments."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.models import Article, Comment
from moderation.errors import ModerationError
from moderation.services.comments.records import audit
from moderation.services.queue.accounts import Moderator
from moderation.services.queue.lists import QueueName, membership
from moderation.services.transaction import unit_of_work

log = logging.getLogger(__name__)

#: The queues a story's row counts, in the order the page shows them.
COUNTED = (QueueName.PENDING, QueueName.LEGAL, QueueName.REPORTED)


class StoryNotFoundError(ModerationError):
    """There is no such story."""


@dataclass(frozen=True)
class StoryRow:
    """A story with what waits on it and whether readers may comment."""

    id: int
    title: str
    url: str
    comments_closed: bool
    premoderate_all: bool
    waiting: int
    legal: int
    reported: int


def list_stories(session: Session, *, limit: int = 100) -> list[StoryRow]:
    """The stories with comments waiting for a decision (most first), then the most recently active ones."""
    counts = {
        name: sa.func.sum(sa.case((membership(name), 1), else_=0)).label(name.value) for name in COUNTED
    }
    waiting = (
        sa.select(Comment.article_id, *counts.values())
        .where(sa.or_(*(membership(name) for name in COUNTED)))
        .group_by(Comment.article_id)
        .subquery()
    )
    total = sa.func.coalesce(waiting.c.pending, 0) + sa.func.coalesce(waiting.c.legal, 0) + sa.func.coalesce(
        waiting.c.reported, 0
    )
    rows = session.execute(
        sa.select(Article, waiting.c.pending, waiting.c.legal, waiting.c.reported)
        .outerjoin(waiting, waiting.c.article_id == Article.id)
        .order_by(total.desc(), Article.updated_at.desc(), Article.id.desc())
        .limit(limit)
    ).all()
    session.commit()
    return [
        StoryRow(a.id, a.title, a.url, a.comments_closed, a.premoderate_all, int(p or 0), int(lg or 0), int(r or 0))
        for a, p, lg, r in rows
    ]


def set_comments_open(session: Session, moderator: Moderator, article_id: int, *, is_open: bool) -> str:
    """Open or close a story's comments (closed: the site's new comments on it are refused); audited."""
    with unit_of_work(session):
        article = session.get(Article, article_id)
        if article is None:
            raise StoryNotFoundError("There is no such story.")
        if article.comments_closed == (not is_open):
            return article.title
        article.comments_closed = not is_open
        audit(session, actor=f"user:{moderator.id}", action="article.open" if is_open else "article.close",
              entity_type="article", entity_id=article.id, site_id=article.site_id, by=moderator.email)
    log.info("%s %s comments on article %s", moderator.email, "opened" if is_open else "closed", article_id)
    return article.title
