"""Engines and sessions: one engine per process, one session per request or unit of work."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from moderation.db.models import AuditLog


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete an audit log row."""


class ModerationSession(Session):
    """A session that refuses to rewrite the audit log."""


@event.listens_for(ModerationSession, "before_flush")
def _audit_log_is_append_only(session: Session, _flush_context: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditLog) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnlyError("the audit log is append-only")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and write-locking transactions."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite starts transactions lazily and deferred; a transaction that reads and then writes can then
    # fail at once with "database is locked" under concurrent writers. Begin every transaction IMMEDIATE
    # (taking the write lock up front, waiting up to the busy timeout) so concurrent requests queue instead.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[ModerationSession]:
    """Sessions bound to `engine`; objects stay readable after commit (views render them)."""
    return sessionmaker(bind=engine, class_=ModerationSession, expire_on_commit=False)
