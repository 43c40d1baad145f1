"""Operator commands end in a one-line error, not a traceback, and say what they did: worker, set-webhook,
policies by name, db upgrade/downgrade, site names, coral-secret, export-suggestions."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from moderation.db.migrate import heads
from moderation.db.models import Site
from tests.conftest import TEST_DATABASE_ENV


@pytest.fixture
def blank_database(app, tmp_path, monkeypatch) -> Iterator[str]:
    """Point the app (engine, sessions and DATABASE_URL) at an empty database with no schema."""
    from moderation.db.session import make_engine, make_session_factory
    from moderation.extensions import Database

    url, admin, schema = os.environ.get(TEST_DATABASE_ENV) or f"sqlite:///{tmp_path / 'blank.db'}", None, None
    if url.startswith("postgresql"):
        schema, admin = f"blank_{uuid.uuid4().hex[:12]}", sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    monkeypatch.setitem(app.extensions, "moderation.db", Database(engine=engine, sessions=make_session_factory(engine)))
    monkeypatch.setitem(app.config, "DATABASE_URL", url)
    yield url
    engine.dispose()
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _one_line_error(result, *fragments: str) -> None:
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


# 1. worker --once

def test_worker_once_on_a_database_without_schema_fails_with_one_line(runner, blank_database):
    result = runner.invoke(args=["moderation", "worker", "--once"])
    _one_line_error(result, "flask moderation db upgrade")
    assert "deliveries attempted" not in result.output


def test_worker_once_on_a_migrated_database_succeeds(runner):
    result = runner.invoke(args=["moderation", "worker", "--once"])
    assert result.exit_code == 0 and "0 deliveries attempted" in result.output


# 2. set-webhook

def test_set_webhook_without_url_or_remove_changes_nothing(runner, db, make_site):
    make_site(webhook_url="https://cms.example/h")
    result = runner.invoke(args=["moderation", "set-webhook", "--site", "Daily Chronicle"])
    assert result.exit_code == 2 and "--remove" in result.output
    both = runner.invoke(args=["moderation", "set-webhook", "--site", "Daily Chronicle", "--url", "https://x.example",
                               "--remove"])
    assert both.exit_code == 2
    assert db.scalar(sa.select(Site.webhook_url)) == "https://cms.example/h"


def test_set_webhook_remove_says_what_it_did(runner, db, make_site):
    make_site(webhook_url="https://cms.example/h")
    result = runner.invoke(args=["moderation", "set-webhook", "--site", "Daily Chronicle", "--remove"])
    assert result.exit_code == 0 and "removed" in result.output and result.stdout == ""
    assert db.scalar(sa.select(Site.webhook_url)) is None


# 3. one-line errors

@pytest.mark.parametrize("args", [["score", "hello", "--policy", "nope"], ["cases", "--policy", "nope"]])
def test_unknown_policy_is_a_one_line_error_naming_the_known_ones(runner, args):
    result = runner.invoke(args=["moderation", *args])
    _one_line_error(result, "no policy named 'nope'", "known: ", "default")


@pytest.mark.parametrize("args", [["upgrade", "--revision", "0999"], ["downgrade", "0999", "--yes"]])
def test_unknown_revision_is_a_one_line_error(runner, args):
    result = runner.invoke(args=["moderation", "db", *args])
    _one_line_error(result, "0999")


def test_commands_on_a_database_without_schema_say_to_upgrade(runner, blank_database):
    result = runner.invoke(args=["moderation", "create-site", "--name", "chronicle"])
    _one_line_error(result, "flask moderation db upgrade")


def test_names_and_secrets_longer_than_their_columns_are_refused(runner, db, make_site):
    result = runner.invoke(args=["moderation", "create-site", "--name", "x" * 101])
    _one_line_error(result, "at most 100")
    make_site()
    secret = runner.invoke(args=["moderation", "coral-secret", "--site", "Daily Chronicle", "--secret", "s" * 301])
    _one_line_error(secret, "at most 200")
    assert db.scalar(sa.select(sa.func.count()).select_from(Site)) == 1


# 4. db upgrade / downgrade

def test_upgrade_to_an_older_revision_prints_where_the_database_really_is(runner):
    result = runner.invoke(args=["moderation", "db", "upgrade", "--revision", "0001"])
    assert result.exit_code == 0, result.output
    assert f"database at {heads()[0]}" in result.output and "database at 0001" not in result.output


def test_downgrade_asks_for_confirmation(runner, blank_database):
    assert runner.invoke(args=["moderation", "db", "upgrade"]).exit_code == 0
    refused = runner.invoke(args=["moderation", "db", "downgrade", "base"], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    engine = sa.create_engine(blank_database)
    assert "sites" in sa.inspect(engine).get_table_names()
    confirmed = runner.invoke(args=["moderation", "db", "downgrade", "base"], input="y\n")
    assert confirmed.exit_code == 0 and "database at base" in confirmed.output
    assert "sites" not in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_downgrade_yes_does_not_ask(runner, blank_database):
    assert runner.invoke(args=["moderation", "db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["moderation", "db", "downgrade", "0500", "--yes"], input="")
    assert result.exit_code == 0 and "database at 0500" in result.output


# 5. site names

@pytest.mark.parametrize(("name", "message"), [("", "empty"), ("   ", "empty"), ("a/b", "'/'"),
                                               ("daily chronicle", "already exists"),
                                               (" DAILY CHRONICLE ", "already exists")])
def test_bad_or_duplicate_site_names_are_refused(runner, db, make_site, name, message):
    make_site()
    result = runner.invoke(args=["moderation", "create-site", "--name", name])
    _one_line_error(result, message)
    assert db.scalars(sa.select(Site.name)).all() == ["Daily Chronicle"]


def test_site_names_are_stripped(runner, db):
    result = runner.invoke(args=["moderation", "create-site", "--name", " Daily Chronicle "])
    assert result.exit_code == 0, result.output
    assert db.scalars(sa.select(Site.name)).all() == ["Daily Chronicle"]


def test_coral_secret_prints_the_url_encoded_phase_path(runner, make_site):
    make_site()
    result = runner.invoke(args=["moderation", "coral-secret", "--site", "Daily Chronicle", "--secret", "ssc_x"])
    assert result.exit_code == 0, result.output
    assert "/coral/v1/moderate/Daily%20Chronicle" in result.output


# 6. export-suggestions

def test_export_suggestions_for_an_unknown_site_fails_and_writes_nothing(runner, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(args=["moderation", "export-suggestions", str(out), "--site", "nope"])
    _one_line_error(result, "no site named 'nope'")
    assert not out.exists()


def test_bench_queue_times_a_seeded_backlog_and_refuses_a_database_with_comments(runner, tmp_path):
    import json

    url = f"sqlite:///{tmp_path / 'scratch.db'}"
    result = runner.invoke(args=["moderation", "bench-queue", "--comments", "300", "--database-url", url, "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["comments"] == 300 and figures["database"] == "sqlite"
    assert all(figures[k] > 0 for k in ("page_ms", "filtered_page_ms", "place_ms"))
    again = runner.invoke(args=["moderation", "bench-queue", "--comments", "10", "--database-url", url])
    assert again.exit_code == 1 and "already holds comments" in again.output
