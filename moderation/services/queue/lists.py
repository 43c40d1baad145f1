"""The moderator queues: which comments each holds, in risk order, with filters and live counts."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus, Queue
from moderation.db.models import Article, Author, Claim, Comment, Score, User
from moderation.policy.model import ClauseResult
from moderation.services.comments.risk import FiredClause, fired_clauses, risk_of
from moderation.services.queue.highlight import Segment, excerpt, segments

#: The decided lists (Approved, Rejected, Taken down) grow for as long as the site runs: each looks at this many of
#: its most recent decisions that match the filters, so a page stays cheap after years of them.
DECIDED_LIMIT = 5000


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


class ListOrder(StrEnum):
    """How a list is sorted: by risk (the waiting queues' default), oldest first, or newest decision first (the
    decided lists' default: a moderator looks back at what was just decided)."""

    RISK = "risk"
    OLDEST = "oldest"
    NEWEST = "newest"


def default_order(name: QueueName) -> ListOrder:
    """The order a list opens in."""
    return ListOrder.RISK if name.active else ListOrder.NEWEST


@dataclass(frozen=True)
class Filters:
    """What the moderator narrowed the queue to; empty fields do not filter."""

    article_id: int | None = None
    clause: str | None = None
    language: str | None = None
    author: str | None = None
    author_id: int | None = None
    text: str | None = None
    #: None: the list's default (`default_order`).
    order: ListOrder | None = None


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
    #: The part of the text a row shows, its evidence marked (when the score is of this text).
    excerpt: tuple[Segment, ...] = ()
    #: Why the most severe clause held it: the policy's reason, as on the comment page.
    reason: str = ""

    @property
    def seen(self) -> str:
        """The state the moderator saw, sent back with a decision so a changed comment is not decided blind."""
        return f"{self.status}:{self.queue or ''}:{self.revision}"

    @property
    def risk(self) -> tuple[int, float]:
        """The most severe clause's rank, then its score (a check scoring 1.0 stays below a harm at 0.6)."""
        return risk_of(self.clauses)


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


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filtered(stmt: sa.Select[Any], filters: Filters) -> sa.Select[Any]:
    if filters.article_id:
        stmt = stmt.where(Comment.article_id == filters.article_id)
    if filters.language:
        stmt = stmt.where(Comment.language == filters.language)
    if filters.author_id:
        stmt = stmt.where(Comment.author_id == filters.author_id)
    if filters.clause:
        stmt = stmt.where(Comment.fired_clauses.contains(f" {filters.clause} ", autoescape=True))
    if filters.author:
        stmt = stmt.join(Author, Author.id == Comment.author_id).where(
            sa.or_(Author.display_name.ilike(_like(filters.author), escape="\\"), Author.external_id == filters.author)
        )
    if filters.text:
        stmt = stmt.where(Comment.text.ilike(_like(filters.text), escape="\\"))
    return stmt


def _on_list(stmt: sa.Select[Any], name: QueueName, filters: Filters) -> sa.Select[Any]:
    """`stmt` narrowed to the comments on the list: in the queue and admitted by the filters. A decided list
    considers its `DECIDED_LIMIT` most recent decisions among those the filters admit."""
    if name.active:
        return _filtered(stmt.where(membership(name)), filters)
    recent = _most_recent(_filtered(sa.select(Comment.id).where(membership(name)), filters))
    return stmt.where(Comment.id.in_(recent.scalar_subquery()))


def _most_recent(stmt: sa.Select[Any]) -> sa.Select[Any]:
    """A decided list's window: its `DECIDED_LIMIT` most recent decisions."""
    return stmt.order_by(Comment.updated_at.desc(), Comment.id.desc()).limit(DECIDED_LIMIT)


def _order(name: QueueName, filters: Filters) -> list[sa.ColumnElement[Any]]:
    """The list's order: risk (the most severe clause's rank, then its score, then by age), oldest first, or the
    newest decision first (the same order as a decided list's window)."""
    match filters.order or default_order(name):
        case ListOrder.OLDEST:
            return [Comment.created_at, Comment.id]
        case ListOrder.NEWEST:
            return [Comment.updated_at.desc(), Comment.id.desc()]
        case ListOrder.RISK:
            return [Comment.risk_rank.desc(), Comment.risk_score.desc(), Comment.created_at, Comment.id]


def place_in_list(
    session: Session, comment_id: int, name: QueueName, filters: Filters
) -> tuple[int | None, int | None, int | None]:
    """The comments before and after `comment_id` on the list (its filters and order), and its place (0-based).

    The database numbers the list and returns three rows, so this stays cheap for any backlog size.
    """
    numbered = _on_list(
        sa.select(Comment.id, sa.func.row_number().over(order_by=_order(name, filters)).label("n")), name, filters
    ).subquery()
    n = session.scalar(sa.select(numbered.c.n).where(numbered.c.id == comment_id))
    if n is None:
        return None, None, None
    neighbours = sa.select(numbered.c.n, numbered.c.id).where(numbered.c.n.in_((n - 1, n + 1)))
    around: dict[int, int] = {k: v for k, v in session.execute(neighbours)}
    return around.get(n - 1), around.get(n + 1), n - 1


def list_queue(
    session: Session, name: QueueName, filters: Filters, *, user_id: int, page: int = 1, page_size: int = 50
) -> QueuePage:
    """A page of queue `name` in its order (see `_order`), filtered, each row with its claim."""
    total = session.scalar(_on_list(sa.select(sa.func.count(Comment.id)), name, filters)) or 0
    page_size = max(1, page_size)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    in_order = _on_list(sa.select(Comment.id), name, filters).order_by(*_order(name, filters))
    wanted = list(session.scalars(in_order.offset((page - 1) * page_size).limit(page_size)))
    now = utcnow()
    stmt = (
        sa.select(Comment, Author, Article, Score.clauses, Score.revision, User.email, Claim.user_id)
        .join(Author, Author.id == Comment.author_id)
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(Score, Score.id == latest_score_id())
        .outerjoin(Claim, sa.and_(Claim.comment_id == Comment.id, Claim.expires_at > now))
        .outerjoin(User, User.id == Claim.user_id)
        .where(Comment.id.in_(wanted))
    )
    by_id: dict[int, QueueRow] = {}
    for comment, author, article, clauses, scored, claimer, claimer_id in session.execute(stmt) if wanted else ():
        results = [ClauseResult.from_dict(c) for c in clauses or ()]
        fired = fired_clauses(results)
        top = next((r for r in results if fired and r.clause == fired[0].clause), None)
        evidence = results if scored == comment.revision else []
        by_id[comment.id] = QueueRow(
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
            excerpt=excerpt(segments(comment.text, evidence)),
            reason=top.reason if top is not None else "",
        )
    members = sa.select(Comment.article_id).where(membership(name))
    if not name.active:  # the articles of the decisions the list can show, not of every decision ever made
        members = _most_recent(members)
    articles = session.execute(
        sa.select(Article.id, Article.title).where(Article.id.in_(members.subquery().select()))
    ).all()
    return QueuePage(
        name=name,
        rows=[by_id[i] for i in wanted if i in by_id],
        page=page,
        pages=pages,
        total=total,
        articles=sorted(((a, t) for a, t in articles), key=lambda kv: kv[1].lower()),
    )


@dataclass(frozen=True)
class LiveState:
    """What changed on an open list page since it was drawn: rows decided meanwhile, and how many came in."""

    gone: list[int]
    new: int


def live_state(
    session: Session, name: QueueName, filters: Filters, shown: Collection[int], since: datetime
) -> LiveState:
    """Of the comments a page `shown`, those no longer on the list (someone decided them); and how many comments
    joined the list (its filters) after `since` that the page does not show."""
    wanted = list(shown)[:500]
    still = set(session.scalars(_on_list(sa.select(Comment.id), name, filters).where(Comment.id.in_(wanted))))
    new = session.scalar(
        _on_list(sa.select(sa.func.count(Comment.id)), name, filters).where(
            Comment.updated_at > since, Comment.id.not_in(wanted)
        )
    )
    session.commit()
    return LiveState(gone=[i for i in wanted if i not in still], new=int(new or 0))

