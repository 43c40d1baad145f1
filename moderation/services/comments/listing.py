"""What the site may render: an article's comments, page by page; and its webhook delivery log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import CommentStatus, DeliveryStatus
from moderation.db.models import Comment, Site, WebhookDelivery
from moderation.services.comments.comment_state import find_article
from moderation.services.errors import NotFoundError

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results and the total across all pages."""

    items: list[T]
    total: int
    page: int
    per_page: int


def article_comments(
    session: Session, site: Site, article_external_id: str, *, status: CommentStatus | None, page: int, per_page: int
) -> Page[Comment]:
    """The article's comments, oldest first; with status=published, hidden (reported) ones are left out."""
    article = find_article(session, site.id, article_external_id)
    if article is None:
        session.commit()
        raise NotFoundError(f"no article with external_id {article_external_id!r}")
    where = [Comment.article_id == article.id]
    if status is not None:
        where.append(Comment.status == status)
        if status == CommentStatus.PUBLISHED:
            where.append(Comment.hidden.is_(False))
    result = _page(session, sa.select(Comment).where(*where).order_by(Comment.id), page, per_page)
    session.commit()
    return result


def deliveries(
    session: Session, site: Site, *, status: DeliveryStatus | None, page: int, per_page: int
) -> Page[WebhookDelivery]:
    """The site's webhook deliveries, newest first."""
    where = [WebhookDelivery.site_id == site.id]
    if status is not None:
        where.append(WebhookDelivery.status == status)
    query = sa.select(WebhookDelivery).where(*where).order_by(WebhookDelivery.id.desc())
    result = _page(session, query, page, per_page)
    session.commit()
    return result


def _page(session: Session, query: sa.Select[Any], page: int, per_page: int) -> Page[Any]:
    total = session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, total, page, per_page)
