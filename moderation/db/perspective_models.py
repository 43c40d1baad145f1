"""What the Perspective-compatible API and the Coral moderation phase keep.

- `PerspectiveSuggestion`: a site's judgement of a comment sent to `comments:suggestscore`, with the
  training labels it implies; exported as training data.
- `PerspectiveAnalysis`: the text and summary scores of an analyzed comment, kept for audit unless the
  caller set `doNotStore`.
- `CoralSecret`: a Coral external moderation phase's signing secret for a site. Kept as given, because
  verifying an HMAC needs the secret itself; several may be active while Coral rotates them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moderation.db.base import Base, JSONType, utcnow
from moderation.db.models.sites import Site


class PerspectiveSuggestion(Base):
    """A suggested score for a comment: the attribute scores as sent and the labels derived from them."""

    __tablename__ = "perspective_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    #: attribute name → suggested probability (the summary score, or the highest span score)
    attribute_scores: Mapped[dict[str, Any]] = mapped_column(JSONType)
    #: model label → 0, 1 or None, in the shared training format
    labels: Mapped[dict[str, Any]] = mapped_column(JSONType)
    languages: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    client_token: Mapped[str | None] = mapped_column(sa.String(200))
    community_id: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship()


class PerspectiveAnalysis(Base):
    """An analyzed comment kept for audit: its text, the summary scores answered and the model used."""

    __tablename__ = "perspective_analyses"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    scores: Mapped[dict[str, Any]] = mapped_column(JSONType)
    model: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CoralSecret(Base):
    """A signing secret of a site's Coral external moderation phase."""

    __tablename__ = "coral_secrets"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    secret: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
