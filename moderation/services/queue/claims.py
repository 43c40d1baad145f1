"""Claims: opening a comment holds it for a few minutes so two moderators do not work on it at once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.models import Claim, User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClaimState:
    """Who holds a comment and until when; `mine` when it is the asking moderator."""

    holder: str
    expires_at: datetime
    mine: bool


def active_claim(session: Session, comment_id: int, user_id: int) -> ClaimState | None:
    """The claim that holds the comment now, if any."""
    row = session.execute(
        sa.select(Claim, User.email)
        .join(User, User.id == Claim.user_id)
        .where(Claim.comment_id == comment_id, Claim.expires_at > utcnow())
    ).first()
    if row is None:
        return None
    claim, email = row
    return ClaimState(email, claim.expires_at, claim.user_id == user_id)


def claim(session: Session, comment_id: int, user_id: int, minutes: int) -> ClaimState:
    """Hold the comment for `minutes` unless someone else holds it; returns whoever holds it afterwards.

    A moderator holds one comment at a time: opening another lets go of the last, so browsing with Next leaves
    no trail of held comments for others to wait on."""
    now = utcnow()
    until = now + timedelta(minutes=minutes)
    session.execute(sa.delete(Claim).where(Claim.user_id == user_id, Claim.comment_id != comment_id))
    current = session.scalar(sa.select(Claim).where(Claim.comment_id == comment_id).with_for_update())
    if current is None:
        session.add(Claim(comment_id=comment_id, user_id=user_id, expires_at=until))
    elif current.user_id == user_id or current.expires_at <= now:
        current.user_id, current.expires_at = user_id, until
    try:
        session.commit()
    except IntegrityError:  # another moderator inserted the claim between our read and write
        session.rollback()
    state = active_claim(session, comment_id, user_id)
    session.commit()
    if state is None:  # lapsed between the write and the read: nobody holds it, so it is free to decide
        return ClaimState("", until, True)
    return state


def release(session: Session, comment_id: int, user_id: int) -> None:
    """Give up the moderator's own claim on the comment (no effect on someone else's)."""
    session.execute(sa.delete(Claim).where(Claim.comment_id == comment_id, Claim.user_id == user_id))
    session.commit()
