"""Near-identical comments: each comment's MinHash signature and LSH bands, and the groups they fall into."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db.base import Base, utcnow


class CommentGroup(Base):
    """Comments near-identical to one another and posted within the policy's window of each other."""

    __tablename__ = "comment_groups"
    __table_args__ = (sa.Index("ix_comment_groups_site_last", "site_id", "last_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    size: Mapped[int] = mapped_column(default=0)
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentFingerprint(Base):
    """A comment's MinHash signature (of its first text) and its group, if any."""

    __tablename__ = "comment_fingerprints"
    __table_args__ = (sa.Index("ix_comment_fingerprints_group", "group_id", "created_at"),)

    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comment_groups.id", ondelete="SET NULL"))
    signature: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentBand(Base):
    """One LSH band of a comment's signature: comments sharing a band (on a site, in a window) are candidates."""

    __tablename__ = "comment_bands"
    __table_args__ = (sa.Index("ix_comment_bands_lookup", "site_id", "key", "created_at"),)

    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
