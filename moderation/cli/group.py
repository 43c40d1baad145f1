"""The `flask moderation` command group that every CLI module adds its commands to.

Its commands end in a one-line error, not a traceback, when they meet a domain error or a database without
the schema: an operator reads the message and knows what to do.
"""

from __future__ import annotations

from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from moderation.errors import ModerationError

#: What SQLite and PostgreSQL say about a table that is not there (PostgreSQL's SQLSTATE undefined_table).
_MISSING_TABLE_SQLSTATE = "42P01"


def is_missing_schema(exc: BaseException) -> bool:
    """Whether the error says a table is missing: the database has not been migrated."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return sqlstate == _MISSING_TABLE_SQLSTATE or "no such table" in str(exc.orig)


def operator_error(exc: Exception) -> click.ClickException:
    """The one-line error an operator sees for `exc`."""
    if isinstance(exc, click.ClickException):
        return exc
    if is_missing_schema(exc):
        return click.ClickException("the database has no schema (or an old one): run `flask moderation db upgrade`")
    if isinstance(exc, ModerationError):
        return click.ClickException(str(exc))
    if isinstance(exc, sa.exc.DBAPIError):
        first_line = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        return click.ClickException(f"database error: {first_line}")
    return click.ClickException(f"{type(exc).__name__}: {exc}")


class ModerationGroup(AppGroup):
    """An AppGroup whose commands (and sub-groups') turn domain and missing-schema errors into one-line errors."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ModerationError, sa.exc.DBAPIError) as exc:
            raise operator_error(exc) from exc


group = ModerationGroup("moderation", help="Moderation service commands.")
