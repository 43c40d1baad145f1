"""A commenter's whole record for the author drawer: every comment and decision, reports, standing changes and
moderators' notes; and the heavier actions on them: a timed suspension or a ban, with a reason, optionally
rejecting the comments they have waiting."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import AuthorStatus, CommentStatus, DecisionAction
from moderation.db.models import Article, AuditLog, Author, AuthorNote, Claim, Comment, Decision, Report, User
from moderation.errors import ModerationError
from moderation.services.comments.records import audit, record_decision
from moderation.services.queue.accounts import Moderator
from moderation.services.queue.authors import AuthorNotFoundError
from moderation.services.queue.lists import QueueName, membership, queue_of
from moderation.services.queue.permissions import may_decide
from moderation.services.transaction import unit_of_work

log = logging.getLogger(__name__)

#: How much of a record the drawer shows at most (the newest).
RECORD_LIMIT = 200


class Restriction(StrEnum):
    """A timed suspension (its hours in the value's name) or a ban."""

    SUSPEND_24H = "suspend_24h"
    SUSPEND_7D = "suspend_7d"
    SUSPEND_30D = "suspend_30d"
    BAN = "ban"

    @property
    def hours(self) -> int | None:
        """How long it lasts; None: until lifted."""
        return {"suspend_24h": 24, "suspend_7d": 7 * 24, "suspend_30d": 30 * 24}.get(self.value)


class AuthorActionError(ModerationError):
    """The action on the commenter is incomplete (no reason, not confirmed)."""


@dataclass(frozen=True)
class RecordComment:
    id: int
    text: str
    queue: str
    created_at: datetime
    article_title: str


@dataclass(frozen=True)
class RecordEvent:
    """A decision on one of their comments, a report against one, a standing change or a note, in time order."""

    at: datetime
    kind: str  # "decision" | "report" | "standing" | "note"
    who: str
    what: str
    comment_id: int | None = None


@dataclass(frozen=True)
class AuthorRecord:
    id: int
    name: str
    external_id: str
    status: str
    suspended_until: datetime | None
    comments: tuple[RecordComment, ...]
    events: tuple[RecordEvent, ...]
    #: The comments still waiting that this moderator may reject with a restriction.
    waiting: int


def _waiting(moderator: Moderator) -> sa.ColumnElement[bool]:
    names = [n for n in (QueueName.PENDING, QueueName.LEGAL, QueueName.REPORTED) if may_decide(moderator, n)]
    return sa.or_(*(membership(n) for n in names)) if names else sa.false()


def author_record(session: Session, moderator: Moderator, author_id: int) -> AuthorRecord:
    """Everything the drawer shows about one commenter (newest first)."""
    author = session.get(Author, author_id)
    if author is None:
        raise AuthorNotFoundError("There is no such commenter.")
    comments = session.execute(
        sa.select(Comment, Article.title).join(Article, Article.id == Comment.article_id)
        .where(Comment.author_id == author_id).order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(RECORD_LIMIT)
    ).all()
    events: list[RecordEvent] = []
    decisions = session.execute(
        sa.select(Decision, User.email).join(Comment, Comment.id == Decision.comment_id)
        .outerjoin(User, User.id == Decision.user_id).where(Comment.author_id == author_id)
        .order_by(Decision.id.desc()).limit(RECORD_LIMIT)
    ).all()
    events += [RecordEvent(d.created_at, "decision", email or d.actor,
                           f"{d.action.value} → {d.to_status.value}" + (f": {d.reason}" if d.reason else ""),
                           d.comment_id) for d, email in decisions]
    reports = session.scalars(
        sa.select(Report).join(Comment).where(Comment.author_id == author_id).order_by(Report.id.desc())
        .limit(RECORD_LIMIT)
    ).all()
    events += [RecordEvent(r.created_at, "report", "reader", r.reason + (f" — {r.note}" if r.note else ""),
                           r.comment_id) for r in reports]
    standing = session.scalars(
        sa.select(AuditLog).where(AuditLog.entity_type == "author", AuditLog.entity_id == author_id)
        .order_by(AuditLog.id.desc()).limit(RECORD_LIMIT)
    ).all()
    events += [RecordEvent(a.at, "standing", str(a.detail.get("by") or a.actor),
                           a.action.removeprefix("author.") + (f": {a.detail['note']}" if a.detail.get("note") else ""))
               for a in standing]
    notes = session.execute(
        sa.select(AuthorNote, User.email).outerjoin(User, User.id == AuthorNote.user_id)
        .where(AuthorNote.author_id == author_id).order_by(AuthorNote.id.desc()).limit(RECORD_LIMIT)
    ).all()
    events += [RecordEvent(n.created_at, "note", email or "a former moderator", n.text) for n, email in notes]
    waiting = session.scalar(sa.select(sa.func.count(Comment.id)).where(Comment.author_id == author_id,
                                                                        _waiting(moderator))) or 0
    record = AuthorRecord(
        id=author.id, name=author.display_name, external_id=author.external_id, status=author.standing().value,
        suspended_until=author.suspended_until if author.standing() != author.status else None,
        comments=tuple(RecordComment(c.id, c.text, queue_of(c.status, c.queue).value, c.created_at, title)
                       for c, title in comments),
        events=tuple(sorted(events, key=lambda e: e.at, reverse=True)),
        waiting=waiting,
    )
    session.commit()
    return record


def add_note(session: Session, moderator: Moderator, author_id: int, text: str) -> None:
    """Keep a moderator's note with the commenter's record."""
    text = text.strip()
    if not text:
        raise AuthorActionError("Write the note first.")
    with unit_of_work(session):
        if session.get(Author, author_id) is None:
            raise AuthorNotFoundError("There is no such commenter.")
        session.add(AuthorNote(author_id=author_id, user_id=moderator.id, text=text))


def restrict_author(
    session: Session, moderator: Moderator, author_id: int, restriction: Restriction, reason: str, *,
    confirmed: bool, reject_waiting: bool,
) -> tuple[str, int]:
    """Suspend (for its hours) or ban the commenter, for a reason, once confirmed; with `reject_waiting` their
    comments waiting in the queues this moderator decides are rejected too. Returns their name and how many
    comments were rejected."""
    reason = reason.strip()
    if not reason:
        raise AuthorActionError("Give the reason: it is kept in the author's record and the audit log.")
    if not confirmed:
        raise AuthorActionError("Tick the confirmation first: this rejects their comments from now on.")
    rejected = 0
    with unit_of_work(session):
        author = session.get(Author, author_id)
        if author is None:
            raise AuthorNotFoundError("There is no such commenter.")
        before = author.standing()
        if restriction.hours is None:
            author.status, author.suspended_until = AuthorStatus.BANNED, None
        else:
            author.suspended_until = utcnow() + timedelta(hours=restriction.hours)
        audit(session, actor=f"user:{moderator.id}", action=f"author.{restriction.value}", entity_type="author",
              entity_id=author.id, site_id=author.site_id, from_status=before.value, by=moderator.email,
              until=author.suspended_until.isoformat() if author.suspended_until else None, note=reason)
        if reject_waiting:
            for comment in session.scalars(sa.select(Comment).where(Comment.author_id == author_id,
                                                                    _waiting(moderator)).with_for_update()):
                removed = CommentStatus.TAKEN_DOWN if comment.status is CommentStatus.PUBLISHED else CommentStatus.REJECTED
                record_decision(session, comment, to_status=removed, to_queue=None, action=DecisionAction.REJECT,
                                actor=f"user:{moderator.id}", user_id=moderator.id, reason="other",
                                note=f"author {restriction.value}: {reason}", hidden=True)
                session.execute(sa.delete(Claim).where(Claim.comment_id == comment.id))
                rejected += 1
    log.info("%s %s author %s (%d waiting rejected)", moderator.email, restriction.value, author_id, rejected)
    return author.display_name, rejected


@dataclass(frozen=True)
class AuthorMatch:
    id: int
    name: str
    external_id: str
    status: str
    comments: int


def search_authors(session: Session, query: str, *, limit: int = 50) -> list[AuthorMatch]:
    """Commenters whose site id is `query`, or whose name contains it, across the whole history."""
    query = query.strip()
    if not query:
        return []
    like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    counted = sa.select(sa.func.count(Comment.id)).where(Comment.author_id == Author.id).scalar_subquery()
    rows = session.execute(
        sa.select(Author, counted).where(sa.or_(Author.external_id == query,
                                                Author.display_name.ilike(like, escape="\\")))
        .order_by(Author.display_name, Author.id).limit(limit)
    ).all()
    session.commit()
    return [AuthorMatch(a.id, a.display_name, a.external_id, a.standing().value, int(n or 0)) for a, n in rows]
