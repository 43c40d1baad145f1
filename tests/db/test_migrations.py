"""The packaged migrations: one head, and exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from moderation.db.base import Base
from moderation.db.migrate import downgrade, heads, load_all_models, upgrade
from moderation.db.session import make_engine


def test_one_head():
    assert len(heads()) == 1


def test_no_drift_between_models_and_migrations(app):
    from moderation.extensions import get_engine

    load_all_models()
    with app.app_context(), get_engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    downgrade(engine, "base")
    upgrade(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == heads()[0]


def test_cli_db_upgrade_migrates_the_configured_database(runner, app, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setitem(app.config, "DATABASE_URL", url)
    result = runner.invoke(args=["moderation", "db", "upgrade"])
    assert result.exit_code == 0, result.output
    with make_engine(url).connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == heads()[0]
