"""The unit of work every service runs in: commit when the block ends, roll back on any exception."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def unit_of_work(session: Session) -> Iterator[None]:
    """Commit what the block did when it ends (also by `return`); roll back and re-raise when it fails."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
