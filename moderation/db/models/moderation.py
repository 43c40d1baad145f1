"""What was said about a comment: model scores, decisions (automatic and human) and reader reports."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db.base import Base, JSONType, enum_column, utcnow
from moderation.db.enums import CommentStatus, DecisionAction, Queue

if TYPE_CHECKING:
    from moderation.db.models.content import Comment
    from moderation.db.models.people import User


class Score(Base):
    """The scoring outcome for one revision of a comment, with the model and policy that produced it."""

    __tablename__ = "scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(default=1)
    model_name: Mapped[str] = mapped_column(sa.String(100))
    model_version: Mapped[str] = mapped_column(sa.String(100))
    policy_name: Mapped[str] = mapped_column(sa.String(100))
    policy_version: Mapped[str] = mapped_column(sa.String(100))
    label_scores: Mapped[dict[str, Any]] = mapped_column(JSONType)
    clauses: Mapped[list[Any]] = mapped_column(JSONType)
    holds: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    action: Mapped[str] = mapped_column(sa.String(16))
    lane: Mapped[str | None] = mapped_column(sa.String(16))
    language: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="scores")


class Decision(Base):
    """A change (or confirmation) of a comment's status: who, why, under which policy and model."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    #: "system" (the automatic decision), "site" (the site's editors via the API) or "user:<id>".
    actor: Mapped[str] = mapped_column(sa.String(100))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[DecisionAction] = mapped_column(enum_column(DecisionAction, "decision_action"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    note: Mapped[str | None] = mapped_column(sa.Text)
    #: What the commenter is told (a moderator's rejection): the site shows it; `note` stays in the audit log.
    reader_message: Mapped[str | None] = mapped_column(sa.Text)
    policy_name: Mapped[str | None] = mapped_column(sa.String(100))
    policy_version: Mapped[str | None] = mapped_column(sa.String(100))
    model_name: Mapped[str | None] = mapped_column(sa.String(100))
    model_version: Mapped[str | None] = mapped_column(sa.String(100))
    from_status: Mapped[CommentStatus | None] = mapped_column(enum_column(CommentStatus, "decision_from_status"))
    to_status: Mapped[CommentStatus] = mapped_column(enum_column(CommentStatus, "decision_to_status"))
    from_queue: Mapped[Queue | None] = mapped_column(enum_column(Queue, "decision_from_queue"))
    to_queue: Mapped[Queue | None] = mapped_column(enum_column(Queue, "decision_to_queue"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="decisions")
    user: Mapped[User | None] = relationship()


class Report(Base):
    """A reader's report of a comment, with their reason; one per reader (reports without a reporter id are
    not told apart, so any number of those may be kept)."""

    __tablename__ = "reports"
    __table_args__ = (sa.UniqueConstraint("comment_id", "reporter_external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(64))
    note: Mapped[str | None] = mapped_column(sa.Text)
    reporter_external_id: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="reports")
