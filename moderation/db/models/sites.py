"""A news site that sends us comments, and the API keys it authenticates with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db.base import Base, JSONType, utcnow


class Site(Base):
    """A customer site: its own domains (allowed in links), its policy and its webhook."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    domains: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    policy_name: Mapped[str] = mapped_column(sa.String(100), default="default")
    webhook_url: Mapped[str | None] = mapped_column(sa.String(2000))
    webhook_secret: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    api_keys: Mapped[list[ApiKey]] = relationship(back_populates="site")

    @property
    def domain_list(self) -> tuple[str, ...]:
        return tuple(str(d) for d in (self.domains or ()))


class ApiKey(Base):
    """A site's API key; only its sha256 is kept, the short public prefix finds the row."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(sa.String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    site: Mapped[Site] = relationship(back_populates="api_keys")
