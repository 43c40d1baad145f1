"""Coordinated comments in the queue: each group of near-identical comments shown as one item, its members
listed, and one decision taken for all of them."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.models import Article, Author, Comment, CommentFingerprint, CommentGroup
from moderation.errors import ModerationError
from moderation.policy.model import Policy
from moderation.services.queue.accounts import Moderator
from moderation.services.queue.decide import BulkOutcome, ModeratorChoice, Seen, decide_comments
from moderation.services.queue.lists import QueueName, membership, queue_of

log = logging.getLogger(__name__)

_WAITING = sa.or_(membership(QueueName.PENDING), membership(QueueName.REPORTED), membership(QueueName.LEGAL))


class GroupNotFoundError(ModerationError):
    """No such group of comments."""


@dataclass(frozen=True)
class GroupRow:
    """A group as the groups list shows it: one item for all its members."""

    id: int
    size: int
    waiting: int
    authors: int
    articles: int
    first_at: datetime
    last_at: datetime
    sample: str


@dataclass(frozen=True)
class Member:
    """One comment of a group."""

    id: int
    text: str
    status: str
    queue: str | None
    queue_name: QueueName
    revision: int
    created_at: datetime
    author_name: str
    article_title: str

    @property
    def seen(self) -> str:
        """The state the moderator saw, sent back with the decision (as on the lists)."""
        return f"{self.status}:{self.queue or ''}:{self.revision}"

    @property
    def waiting(self) -> bool:
        return self.queue_name.active


@dataclass(frozen=True)
class GroupView:
    """A group and its members, oldest first."""

    id: int
    size: int
    first_at: datetime
    last_at: datetime
    members: list[Member]

    @property
    def waiting(self) -> list[Member]:
        return [m for m in self.members if m.waiting]


def waiting_groups(session: Session, *, limit: int = 100) -> list[GroupRow]:
    """Groups with comments still waiting for a decision, the largest first."""
    stmt = (
        sa.select(
            CommentGroup.id, CommentGroup.size, CommentGroup.first_at, CommentGroup.last_at,
            sa.func.count(Comment.id), sa.func.count(sa.distinct(Comment.author_id)),
            sa.func.count(sa.distinct(Comment.article_id)), sa.func.min(Comment.id),
        )
        .join(CommentFingerprint, CommentFingerprint.group_id == CommentGroup.id)
        .join(Comment, Comment.id == CommentFingerprint.comment_id)
        .where(_WAITING)
        .group_by(CommentGroup.id, CommentGroup.size, CommentGroup.first_at, CommentGroup.last_at)
        .order_by(sa.func.count(Comment.id).desc(), CommentGroup.last_at.desc())
        .limit(limit)
    )
    rows = session.execute(stmt).all()
    samples: dict[int, str] = {
        i: t for i, t in session.execute(sa.select(Comment.id, Comment.text).where(Comment.id.in_([r[7] for r in rows])))
    } if rows else {}
    return [GroupRow(id=g, size=size, waiting=waiting, authors=authors, articles=articles, first_at=first,
                     last_at=last, sample=samples.get(sample_id, ""))
            for g, size, first, last, waiting, authors, articles, sample_id in rows]


def open_group(session: Session, group_id: int) -> GroupView:
    """A group and every member, with the state each was in when the page was drawn."""
    group = session.get(CommentGroup, group_id)
    if group is None:
        raise GroupNotFoundError(f"no group {group_id}")
    rows = session.execute(
        sa.select(Comment, Author.display_name, Article.title)
        .join(CommentFingerprint, CommentFingerprint.comment_id == Comment.id)
        .join(Author, Author.id == Comment.author_id)
        .join(Article, Article.id == Comment.article_id)
        .where(CommentFingerprint.group_id == group_id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    members = [
        Member(id=c.id, text=c.text, status=c.status.value, queue=c.queue.value if c.queue else None,
               queue_name=queue_of(c.status, c.queue), revision=c.revision, created_at=c.created_at,
               author_name=author, article_title=title)
        for c, author, title in rows
    ]
    return GroupView(group.id, group.size, group.first_at, group.last_at, members)


def decide_group(
    session: Session,
    policies: Mapping[str, Policy],
    moderator: Moderator,
    group_id: int,
    items: list[tuple[int, Seen]],
    choice: ModeratorChoice,
) -> BulkOutcome:
    """One decision for the group's waiting members the moderator saw: each member is decided from the state it
    was seen in, and its audit row names the group and how many were decided together. Comments not in the
    group are refused."""
    members = set(session.scalars(sa.select(CommentFingerprint.comment_id)
                                  .where(CommentFingerprint.group_id == group_id)))
    if not members:
        raise GroupNotFoundError(f"no group {group_id}")
    session.commit()  # end the read: each member is its own unit of work
    outcome = BulkOutcome()
    ours = [(i, seen) for i, seen in items if i in members]
    outcome.refused.extend((i, "This comment is not in the group.") for i, _ in items if i not in members)
    detail = {"group_id": group_id, "group_decision": True, "group_size": len(ours)}
    decided = decide_comments(session, policies, moderator, ours, choice, detail)
    outcome.decided.extend(decided.decided)
    outcome.refused.extend(decided.refused)
    log.info("%s %s %s comments of group %s", moderator.email, choice.action.value, len(outcome.decided), group_id)
    return outcome
