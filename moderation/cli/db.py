"""`flask moderation db …`: create and upgrade the database schema."""

from __future__ import annotations

import click
from flask import current_app

from moderation.cli.group import group
from moderation.db import migrate
from moderation.db.session import make_engine


@group.group("db")
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Migrate up to this revision.")
def upgrade(revision: str) -> None:
    """Create or upgrade the database schema (DATABASE_URL) to the latest migration."""
    engine = make_engine(current_app.config["DATABASE_URL"])
    try:
        migrate.upgrade(engine, revision)
    finally:
        engine.dispose()
    click.echo(f"database at {migrate.heads()[0] if revision == 'head' else revision}", err=True)


@db.command("downgrade")
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Take the schema back to REVISION ("base" removes every table)."""
    engine = make_engine(current_app.config["DATABASE_URL"])
    try:
        migrate.downgrade(engine, revision)
    finally:
        engine.dispose()
