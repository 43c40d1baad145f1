"""Records that leave or watch the system: the webhook outbox and the append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db.base import Base, JSONType, enum_column, utcnow
from moderation.db.enums import DeliveryStatus
from moderation.db.models.sites import Site


class WebhookDelivery(Base):
    """One event for a site's webhook; `body` is the exact JSON text that is signed and POSTed on every attempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        # Serves "is an earlier event about this comment still pending?" on every lease (webhooks.py).
        sa.Index("ix_webhook_deliveries_comment", "site_id", "comment_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(sa.String(64))
    #: The comment the event is about (None for events about no comment). No foreign key, as in the audit log:
    #: it only orders one comment's events, and the body is what the site receives.
    comment_id: Mapped[int | None]
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    last_status_code: Mapped[int | None]
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()


class AuditLog(Base):
    """Who did what to which record, and when. Rows are only ever added (enforced in the session)."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(sa.String(100))
    action: Mapped[str] = mapped_column(sa.String(64))
    entity_type: Mapped[str] = mapped_column(sa.String(32))
    entity_id: Mapped[int | None]
    #: No foreign key: the log outlives the records it mentions and is never rewritten.
    site_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
