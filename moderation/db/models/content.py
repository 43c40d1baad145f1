"""What the site sends: articles, their commenters, comments and the revisions of edited comments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db.base import Base, enum_column, utcnow
from moderation.db.enums import AuthorStatus, CommentStatus, Queue
from moderation.db.models.sites import Site

if TYPE_CHECKING:
    from moderation.db.models.moderation import Decision, Report, Score
    from moderation.db.models.people import Claim, User


class Article(Base):
    """A story on the site, known by the site's own id; editors may close or pre-moderate its comments."""

    __tablename__ = "articles"
    __table_args__ = (sa.UniqueConstraint("site_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str] = mapped_column(sa.String(2000))
    title: Mapped[str] = mapped_column(sa.String(500))
    section: Mapped[str | None] = mapped_column(sa.String(200))
    comments_closed: Mapped[bool] = mapped_column(default=False)
    premoderate_all: Mapped[bool] = mapped_column(default=False)
    #: When the surge watch flagged the story (its held share or report rate jumped), and why; None once an
    #: editor lifts it.
    surge_at: Mapped[datetime | None] = mapped_column(index=True)
    surge_reason: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    site: Mapped[Site] = relationship()


class Author(Base):
    """A commenter on the site, known by the site's own id."""

    __tablename__ = "authors"
    __table_args__ = (sa.UniqueConstraint("site_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(sa.String(200))
    display_name: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[AuthorStatus] = mapped_column(
        enum_column(AuthorStatus, "author_status"), default=AuthorStatus.NORMAL
    )
    comment_count: Mapped[int] = mapped_column(default=0)
    #: Until when a moderator suspended them: their comments are rejected as a banned author's are till then.
    suspended_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()

    def standing(self) -> AuthorStatus:
        """How their next comment is treated: banned while a suspension runs, else their status."""
        if self.suspended_until is not None and self.suspended_until > utcnow():
            return AuthorStatus.BANNED
        return self.status


class AuthorNote(Base):
    """A moderator's note about a commenter, kept with their record for the next moderator."""

    __tablename__ = "author_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("authors.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(Base):
    """A reader comment: the text exactly as received, where it stands and which queue holds it."""

    __tablename__ = "comments"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "external_id"),
        sa.Index("ix_comments_article_status", "article_id", "status", "id"),
        sa.Index("ix_comments_queue_status", "queue", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(sa.String(200))
    article_id: Mapped[int] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("authors.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    #: sha256 of the first submission (text, article, author, parent): a retry must match it.
    request_sha256: Mapped[str] = mapped_column(sa.String(64))
    revision: Mapped[int] = mapped_column(default=1)
    status: Mapped[CommentStatus] = mapped_column(enum_column(CommentStatus, "comment_status"))
    queue: Mapped[Queue | None] = mapped_column(enum_column(Queue, "comment_queue"))
    hidden: Mapped[bool] = mapped_column(default=False)
    #: False while the current text has no score (the scorer failed or timed out); `rescore` picks these up.
    scored: Mapped[bool] = mapped_column(default=False, index=True)
    language: Mapped[str | None] = mapped_column(sa.String(16))
    report_count: Mapped[int] = mapped_column(default=0)
    #: From the latest score, so the queues sort and filter in SQL: the most severe fired clause's rank on the harm
    #: ladder (see `services.comments.risk.clause_rank`; -1 when none fired), its score, and the fired clause ids (" a b ").
    risk_rank: Mapped[int] = mapped_column(sa.SmallInteger, default=-1, server_default="-1")
    risk_score: Mapped[float] = mapped_column(sa.Float, default=0.0, server_default="0")
    fired_clauses: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    site: Mapped[Site] = relationship()
    article: Mapped[Article] = relationship()
    author: Mapped[Author] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
    revisions: Mapped[list[CommentRevision]] = relationship(
        back_populates="comment", order_by="CommentRevision.number", cascade="all, delete-orphan"
    )
    scores: Mapped[list[Score]] = relationship(back_populates="comment", order_by="Score.id")
    decisions: Mapped[list[Decision]] = relationship(back_populates="comment", order_by="Decision.id")
    reports: Mapped[list[Report]] = relationship(back_populates="comment", order_by="Report.id")
    claim: Mapped[Claim | None] = relationship(back_populates="comment")


class CommentRevision(Base):
    """One version of a comment's text (number 1 is the original), kept when the reader edits it, or when a
    moderator redacts it: then `editor_id` is the moderator's account."""

    __tablename__ = "comment_revisions"
    __table_args__ = (sa.UniqueConstraint("comment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()
