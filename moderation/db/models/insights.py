"""Tallies behind the insights page: counts kept as decisions and reports are recorded, by day and (per story) by
month."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from moderation.db.base import Base


class InsightTally(Base):
    """How many of something (`TallyMetric`, with a key such as a clause or an account) happened on a site in a
    UTC day."""

    __tablename__ = "insight_tallies"
    # On SQLite the rows live in the primary key's tree (WITHOUT ROWID): a range of days is read in one pass,
    # with no lookup per row for its count.
    __table_args__ = (sa.Index("ix_insight_tallies_site", "site_id"), {"sqlite_with_rowid": False})

    #: The key's order serves every read: a metric over a range of days, for all sites or one.
    metric: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    count: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class InsightStoryMonth(Base):
    """The per-story tallies (`ARTICLE_HELD`, `ARTICLE_REPORTS`) summed over a UTC month, kept beside the daily ones:
    ranking the stories over a long range reads a row per story and month, not per story and day."""

    __tablename__ = "insight_story_months"
    __table_args__ = (sa.Index("ix_insight_story_months_site", "site_id"), {"sqlite_with_rowid": False})

    metric: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    #: The month's first day.
    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    count: Mapped[int] = mapped_column(sa.BigInteger, default=0)
