"""`flask moderation db …`: create and upgrade the database schema."""

from __future__ import annotations

from collections.abc import Callable

import click
from alembic.util import CommandError
from flask import current_app

from moderation.cli.group import group
from moderation.db import migrate
from moderation.db.session import make_engine


@group.group("db")
def db() -> None:
    """Database schema commands."""


def _migrate(step: Callable[..., None], revision: str, *, confirm: bool = False) -> None:
    """Run an Alembic step to `revision` and say where the database is now (one-line errors, not tracebacks)."""
    engine = make_engine(current_app.config["DATABASE_URL"])
    try:
        migrate.check_revision(revision)
        before = migrate.current(engine)
        if confirm:
            click.confirm(f"Take the schema back from {before or 'nothing'} to {revision}? The tables and columns "
                          "added since are dropped with their data", abort=True, err=True)
        step(engine, revision)
        after = migrate.current(engine)
    except CommandError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    note = "" if after != before else " (nothing changed)"
    click.echo(f"database at {after or 'base (no schema)'}{note}", err=True)


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Migrate up to this revision.")
def upgrade(revision: str) -> None:
    """Create or upgrade the database schema (DATABASE_URL) to the latest migration."""
    _migrate(migrate.upgrade, revision)


@db.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
def downgrade(revision: str, yes: bool) -> None:
    """Take the schema back to REVISION ("base" removes every table), after confirmation."""
    _migrate(migrate.downgrade, revision, confirm=not yes)
