"""Moderator accounts and the claims they hold on comments while deciding them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db.base import Base, enum_column, utcnow
from moderation.db.enums import UserRole

if TYPE_CHECKING:
    from moderation.db.models.content import Comment


class User(Base):
    """A person who works the moderator queue; the role decides which lanes they may decide."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole, "user_role"), default=UserRole.MODERATOR)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Claim(Base):
    """A moderator's claim on a comment, so that two people do not decide it at once; it lapses at `expires_at`."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="claim")
    user: Mapped[User] = relationship()
