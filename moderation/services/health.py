"""Whether the service's dependencies answer, and whether the database schema is up to date."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine

from moderation.db.migrate import heads

log = logging.getLogger(__name__)


def database_reachable(engine: Engine) -> bool:
    """True when a trivial query succeeds on the database."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        log.exception("database not reachable")
        return False


def schema_current(engine: Engine) -> bool:
    """True when the database has every migration applied (`flask moderation db upgrade`)."""
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
        return current == set(heads())
    except sa.exc.SQLAlchemyError:
        log.exception("could not read the schema revision")
        return False
