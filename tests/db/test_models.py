"""Model behaviour the rest of the service relies on: UTC timestamps, exact text, an append-only audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from moderation.db.enums import CommentStatus
from moderation.db.models import Article, AuditLog, Author, Claim, Comment, Site, User
from moderation.db.session import AppendOnlyError


def _comment(session, external_id="c1", text="hello") -> Comment:
    site = Site(name=f"site-{external_id}", domains=["example.in"])
    article = Article(site=site, external_id="a1", url="https://example.in/a1", title="A")
    author = Author(site=site, external_id="u1", display_name="Asha")
    comment = Comment(site=site, article=article, author=author, external_id=external_id, text=text,
                      request_sha256="0" * 64, status=CommentStatus.PUBLISHED)
    session.add(comment)
    session.commit()
    return comment


def test_timestamps_come_back_timezone_aware_in_utc(db):
    ist = timezone(timedelta(hours=5, minutes=30))
    comment = _comment(db)
    user = User(email="mod@example.in", password_hash="x")
    db.add(user)
    db.flush()
    db.add(Claim(comment_id=comment.id, user_id=user.id, expires_at=datetime(2026, 1, 1, 10, 0, tzinfo=ist)))
    db.commit()
    db.expunge_all()
    claim = db.scalar(sa.select(Claim))
    assert claim.expires_at == datetime(2026, 1, 1, 4, 30, tzinfo=UTC)
    assert claim.expires_at.tzinfo is not None
    assert db.get(Comment, comment.id).created_at.tzinfo is not None


def test_naive_timestamps_are_refused(db):
    comment = _comment(db)
    user = User(email="m@example.in", password_hash="x")
    db.add(user)
    db.flush()
    db.add(Claim(comment_id=comment.id, user_id=user.id, expires_at=datetime(2026, 1, 1)))
    with pytest.raises(sa.exc.StatementError):
        db.commit()
    db.rollback()


def test_comment_ids_are_unique_per_site(db):
    first = _comment(db)
    db.add(Comment(site_id=first.site_id, article_id=first.article_id, author_id=first.author_id,
                   external_id=first.external_id, text="again", request_sha256="1" * 64,
                   status=CommentStatus.PENDING))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_status_values_are_checked_by_the_database(db):
    comment = _comment(db)
    with pytest.raises(DBAPIError):
        db.execute(sa.text("UPDATE comments SET status = 'bogus' WHERE id = :id"), {"id": comment.id})
        db.commit()
    db.rollback()


def test_audit_log_rows_cannot_be_changed_or_deleted(db):
    db.add(AuditLog(actor="system", action="test", entity_type="comment", entity_id=1))
    db.commit()
    row = db.scalar(sa.select(AuditLog))
    row.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.commit()
    db.rollback()
    db.delete(db.scalar(sa.select(AuditLog)))
    with pytest.raises(AppendOnlyError):
        db.commit()
    db.rollback()
    if db.get_bind().dialect.name == "postgresql":  # the database refuses it too, whatever the client
        with pytest.raises(DBAPIError):
            db.execute(sa.text("UPDATE audit_log SET action = 'x'"))
        db.rollback()
