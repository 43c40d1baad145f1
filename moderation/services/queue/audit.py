"""The decision log for moderators and legal: every decision with who, when, what, why and under which versions."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import DecisionAction
from moderation.db.models import Comment, Decision, Site, User

CSV_COLUMNS = (
    "decision_id",
    "at",
    "who",
    "action",
    "from_status",
    "to_status",
    "queue",
    "reason",
    "note",
    "comment_id",
    "comment_external_id",
    "site",
    "policy",
    "policy_version",
    "model",
    "model_version",
)


@dataclass(frozen=True)
class AuditFilters:
    """Narrow the log by person ("system", "site" or an e-mail), action, comment and day range; the days are
    the newsroom's (`zone`)."""

    who: str | None = None
    action: DecisionAction | None = None
    comment_id: int | None = None
    since: date | None = None
    until: date | None = None
    zone: tzinfo = UTC


@dataclass(frozen=True)
class AuditRow:
    """One decision as the log shows it."""

    id: int
    at: datetime
    who: str
    action: DecisionAction
    from_status: str | None
    to_status: str
    queue: str | None
    reason: str
    note: str | None
    comment_id: int
    comment_external_id: str
    site: str
    policy: str | None
    policy_version: str | None
    model: str | None
    model_version: str | None


def _query(filters: AuditFilters) -> sa.Select[Decision, str | None, str, str]:
    stmt = (
        sa.select(Decision, User.email, Comment.external_id, Site.name)
        .join(Comment, Comment.id == Decision.comment_id)
        .join(Site, Site.id == Comment.site_id)
        .outerjoin(User, User.id == Decision.user_id)
    )
    if filters.who:
        who = filters.who.strip().lower()
        stmt = stmt.where(sa.or_(Decision.actor == who, sa.func.lower(User.email) == who))
    if filters.action:
        stmt = stmt.where(Decision.action == filters.action)
    if filters.comment_id:
        stmt = stmt.where(Decision.comment_id == filters.comment_id)
    if filters.since:
        stmt = stmt.where(Decision.created_at >= datetime.combine(filters.since, time(), filters.zone))
    if filters.until:
        stmt = stmt.where(Decision.created_at < datetime.combine(filters.until + timedelta(days=1), time(), filters.zone))
    return stmt.order_by(Decision.id.desc())


def _row(d: Decision, email: str | None, external_id: str, site: str) -> AuditRow:
    return AuditRow(
        d.id,
        d.created_at,
        email or d.actor,
        d.action,
        d.from_status.value if d.from_status else None,
        d.to_status.value,
        d.to_queue.value if d.to_queue else None,
        d.reason,
        d.note,
        d.comment_id,
        external_id,
        site,
        d.policy_name,
        d.policy_version,
        d.model_name,
        d.model_version,
    )


def audit_page(
    session: Session, filters: AuditFilters, *, page: int = 1, page_size: int = 100
) -> tuple[list[AuditRow], bool]:
    """A page of the log, newest first, and whether an older page follows."""
    page = max(1, page)
    rows = session.execute(_query(filters).offset((page - 1) * page_size).limit(page_size + 1)).all()
    return [_row(r[0], r[1], r[2], r[3]) for r in rows[:page_size]], len(rows) > page_size


def action_names(session: Session) -> list[DecisionAction]:
    """The actions that occur in the log (for the filter)."""
    return list(session.scalars(sa.select(Decision.action).distinct().order_by(Decision.action)))


def _cell(value: object) -> str:
    text = "" if value is None else value.isoformat() if isinstance(value, datetime) else str(value)
    # A cell starting with = + - @ (or a tab/CR) would run as a formula in a spreadsheet; quote it.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_csv(session: Session, filters: AuditFilters, *, batch: int = 500) -> str:
    """The filtered log as CSV text, header first (read in batches, in one read transaction)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    try:
        for partition in session.execute(_query(filters).execution_options(yield_per=batch)).partitions():
            for r in partition:
                row = _row(r[0], r[1], r[2], r[3])
                writer.writerow([_cell(getattr(row, "id" if c == "decision_id" else c)) for c in CSV_COLUMNS])
    finally:
        session.rollback()  # end the read so the database is free for writers
    return buffer.getvalue()
