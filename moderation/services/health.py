"""Whether the service's dependencies answer."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.engine import Engine

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
