"""The moderator queues: which comments each holds, in risk order, with filters and live counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus, Queue
from moderation.db.models import Article, Author, Claim, Comment, Score, User
from moderation.enums import Action

#: How many comments one queue page considers before sorting; the active queues are read oldest first.
CANDIDATE_LIMIT = 2000


class QueueName(StrEnum):
    """The queues a moderator can open."""

    PENDING = "pending"
    REPORTED = "reported"
    LEGAL = "legal"
    APPROVED = "approved"
    REJECTED = "rejected"
    TAKEN_DOWN = "taken_down"

    @property
    def heading(self) -> str:
        return _TITLES[self]

    @property
    def active(self) -> bool:
        """Whether comments here still wait for a decision."""
        return self in (QueueName.PENDING, QueueName.REPORTED, QueueName.LEGAL)


_TITLES = {
    QueueName.PENDING: "Pending review",
    QueueName.REPORTED: "Reported",
    QueueName.LEGAL: "Legal review",
    QueueName.APPROVED: "Approved",
    QueueName.REJECTED: "Rejected",
    QueueName.TAKEN_DOWN: "Taken down",
}


def membership(name: QueueName) -> sa.ColumnElement[bool]:
    """The SQL condition for a comment being in queue `name`."""
    match name:
        case QueueName.PENDING:
            return sa.and_(
                Comment.status == CommentStatus.PENDING, sa.or_(Comment.queue == Queue.REVIEW, Comment.queue.is_(None))
            )
        case QueueName.REPORTED:
            return Comment.queue == Queue.REPORTED
        case QueueName.LEGAL:
            return Comment.queue == Queue.LEGAL
        case QueueName.APPROVED:
            return sa.and_(Comment.status == CommentStatus.PUBLISHED, Comment.queue.is_(None))
        case QueueName.REJECTED:
            return sa.and_(Comment.status == CommentStatus.REJECTED, Comment.queue.is_(None))
        case QueueName.TAKEN_DOWN:
            return sa.and_(Comment.status == CommentStatus.TAKEN_DOWN, Comment.queue.is_(None))


def queue_of(status: CommentStatus, queue: Queue | None) -> QueueName:
    """Which queue a comment in this state shows in."""
    if queue is Queue.REPORTED:
        return QueueName.REPORTED
    if queue is Queue.LEGAL:
        return QueueName.LEGAL
    return {
        CommentStatus.PENDING: QueueName.PENDING,
        CommentStatus.PUBLISHED: QueueName.APPROVED,
        CommentStatus.REJECTED: QueueName.REJECTED,
        CommentStatus.TAKEN_DOWN: QueueName.TAKEN_DOWN,
    }[status]


def counts(session: Session) -> dict[str, int]:
    """How many comments each queue holds now."""
    rows = session.execute(
        sa.select(Comment.status, Comment.queue, sa.func.count()).group_by(Comment.status, Comment.queue)
    )
    out = {q.value: 0 for q in QueueName}
    for status, queue, n in rows:
        out[queue_of(status, queue).value] += n
    return out


@dataclass(frozen=True)
class Filters:
    """What the moderator narrowed the queue to; empty fields do not filter."""

    article_id: int | None = None
    clause: str | None = None
    language: str | None = None
    author: str | None = None
    author_id: int | None = None
    text: str | None = None
    oldest_first: bool = False


@dataclass(frozen=True)
class FiredClause:
    """A clause that fired on the comment's latest score."""

    clause: str
    action: str
    score: float


@dataclass(frozen=True)
class QueueRow:
    """One comment as a queue list shows it."""

    id: int
    text: str
    status: str
    queue: str | None
    revision: int
    language: str | None
    created_at: datetime
    author_id: int
    author_name: str
    author_status: str
    article_id: int
    article_title: str
    report_count: int
    clauses: tuple[FiredClause, ...]
    claimed_by: str | None
    claimed_by_me: bool

    @property
    def seen(self) -> str:
        """The state the moderator saw, sent back with a decision so a changed comment is not decided blind."""
        return f"{self.status}:{self.queue or ''}:{self.revision}"

    @property
    def risk(self) -> tuple[int, float]:
        """Most severe clause first, then its highest score."""
        return max(((Action(c.action).severity, c.score) for c in self.clauses), default=(-1, 0.0))


@dataclass
class QueuePage:
    """A page of a queue, the articles it spans (for the filter) and whether more pages follow."""

    name: QueueName
    rows: list[QueueRow]
    page: int
    pages: int
    total: int
    articles: list[tuple[int, str]] = field(default_factory=list)


def latest_score_id() -> sa.ScalarSelect[Any]:
    """A correlated subquery: the id of the newest score of the comment."""
    newer = aliased(Score)
    return sa.select(sa.func.max(newer.id)).where(newer.comment_id == Comment.id).correlate(Comment).scalar_subquery()


def _fired(clauses: Sequence[Mapping[str, Any]] | None) -> tuple[FiredClause, ...]:
    out = []
    for c in clauses or ():
        if c.get("action") in (Action.REVIEW.value, Action.REJECT.value):
            out.append(FiredClause(str(c.get("clause")), str(c["action"]), float(c.get("score") or 0.0)))
    return tuple(sorted(out, key=lambda f: (Action(f.action).severity, f.score), reverse=True))


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_queue(
    session: Session, name: QueueName, filters: Filters, *, user_id: int, page: int = 1, page_size: int = 50
) -> QueuePage:
    """A page of queue `name`: risk order (or oldest first), filtered, each row with its claim."""
    now = utcnow()
    stmt = (
        sa.select(Comment, Author, Article, Score.clauses, User.email, Claim.user_id)
        .join(Author, Author.id == Comment.author_id)
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(Score, Score.id == latest_score_id())
        .outerjoin(Claim, sa.and_(Claim.comment_id == Comment.id, Claim.expires_at > now))
        .outerjoin(User, User.id == Claim.user_id)
        .where(membership(name))
    )
    if filters.article_id:
        stmt = stmt.where(Comment.article_id == filters.article_id)
    if filters.language:
        stmt = stmt.where(Comment.language == filters.language)
    if filters.author_id:
        stmt = stmt.where(Comment.author_id == filters.author_id)
    if filters.author:
        stmt = stmt.where(
            sa.or_(Author.display_name.ilike(_like(filters.author), escape="\\"), Author.external_id == filters.author)
        )
    if filters.text:
        stmt = stmt.where(Comment.text.ilike(_like(filters.text), escape="\\"))
    order = Comment.created_at.asc() if name.active else Comment.updated_at.desc()
    stmt = stmt.order_by(order, Comment.id).limit(CANDIDATE_LIMIT)
    rows = []
    articles: dict[int, str] = {}
    for comment, author, article, clauses, claimer, claimer_id in session.execute(stmt):
        fired = _fired(clauses)
        articles[article.id] = article.title
        if filters.clause and filters.clause not in {f.clause for f in fired}:
            continue
        rows.append(
            QueueRow(
                id=comment.id,
                text=comment.text,
                status=comment.status.value,
                queue=comment.queue.value if comment.queue else None,
                revision=comment.revision,
                language=comment.language,
                created_at=comment.created_at,
                author_id=author.id,
                author_name=author.display_name,
                author_status=author.status.value,
                article_id=article.id,
                article_title=article.title,
                report_count=comment.report_count,
                clauses=fired,
                claimed_by=claimer,
                claimed_by_me=claimer_id == user_id,
            )
        )
    if filters.oldest_first:
        rows.sort(key=lambda r: (r.created_at, r.id))
    else:
        rows.sort(key=lambda r: (-r.risk[0], -r.risk[1], r.created_at, r.id))
    pages = max(1, -(-len(rows) // page_size))
    page = min(max(1, page), pages)
    return QueuePage(
        name=name,
        rows=rows[(page - 1) * page_size : page * page_size],
        page=page,
        pages=pages,
        total=len(rows),
        articles=sorted(articles.items(), key=lambda kv: kv[1].lower()),
    )
