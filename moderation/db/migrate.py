"""Run the Alembic migrations that ship inside the package."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def load_all_models() -> None:
    """Import every model module of the package, so that Base.metadata describes every table."""
    package = importlib.import_module("moderation.db")
    for module in pkgutil.walk_packages(package.__path__, "moderation.db."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations (and at `engine`, when given)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to `revision` (the latest by default)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to `revision`."""
    command.downgrade(alembic_config(engine), revision)


def heads() -> list[str]:
    """The head revisions of the packaged migrations (exactly one when the history is linear)."""
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def current(engine: Engine) -> str | None:
    """The revision the database is at (None when it has no schema yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_revision(revision: str) -> None:
    """Raise Alembic's CommandError when `revision` names no packaged migration."""
    ScriptDirectory.from_config(alembic_config()).get_revisions(revision)
