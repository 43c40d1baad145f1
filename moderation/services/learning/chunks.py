"""Splitting a long read into id ranges, so that separate processes (the scoring workers) can each take one.

Each range holds `size` of the rows a query selects (the last one fewer), found by walking the id index a range
at a time: nothing but two ids is held, however large the table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class IdRange:
    """Ids from `first` to `last`, both included."""

    first: int
    last: int

    def where(self, column: Any) -> sa.ColumnElement[bool]:
        """The condition that keeps a query to this range."""
        return sa.and_(column >= self.first, column <= self.last)


def id_ranges(session: Session, ids: sa.Select[Any], column: Any, size: int) -> Iterator[IdRange]:
    """Consecutive ranges of `size` of the ids `ids` selects (a query of `column` alone), in id order.

    Each step's read is ended before the range is given out (SQLite holds its write lock for a whole transaction,
    and the ranges are read while other processes work on the ones given out)."""
    after = 0
    while True:
        try:
            last = session.scalar(ids.where(column > after).order_by(column).offset(size - 1).limit(1))
            if last is None:  # the last range, shorter than `size`
                last = session.scalar(ids.where(column > after).order_by(column.desc()).limit(1))
        finally:
            session.rollback()
        if last is None:
            return
        yield IdRange(after + 1, int(last))
        after = int(last)
