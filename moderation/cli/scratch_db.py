"""The empty database a benchmark command seeds: a temporary SQLite file, or the scratch database it is given."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import click
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from moderation import config
from moderation.db import migrate
from moderation.db.models import Comment
from moderation.db.session import make_engine
from moderation.errors import ConfigError

#: The `--database-url` help every benchmark gives.
DATABASE_URL_HELP = "An empty scratch database to seed (default: a temporary SQLite file). Never a live one."


@contextmanager
def scratch_engine(database_url: str | None, name: str) -> Iterator[Engine]:
    """A migrated, empty database: a SQLite file `name`.db in a temporary folder, or `database_url`, refused
    (a ClickException) when it already holds comments. Disposed of afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            url = config.database_url(database_url) if database_url else f"sqlite:///{tmp}/{name}.db"
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from exc
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)
            with engine.connect() as conn:
                if conn.scalar(sa.select(sa.func.count()).select_from(Comment)):
                    raise click.ClickException("that database already holds comments: give an empty scratch one")
            yield engine
        finally:
            engine.dispose()


def analyze(engine: Engine) -> None:
    """On PostgreSQL, gather the planner's statistics after seeding, as autovacuum would before real traffic."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
