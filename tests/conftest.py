"""Shared fixtures: one app per test session, a clean database for each test, and the scorers tests run on.

The app holds the real bundled model, loaded on first use (tests/scoring, tests/cli's scoring commands and the
`e2e` set); the API, queue, Perspective, Coral, service and database tests swap in `FixedScorer` (tests/fakes.py),
so retraining the model never moves them.

The database is SQLite in a temporary folder unless MODERATION_TEST_DATABASE_URL names another, e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

TEST_DATABASE_ENV = "MODERATION_TEST_DATABASE_URL"


def _test_database_url(tmp: Path) -> str:
    return os.environ.get(TEST_DATABASE_ENV) or f"sqlite:///{tmp / 'moderation.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the test database (empty, not yet migrated).

    On PostgreSQL each test session works in a schema of its own (via search_path), dropped at the end,
    so that several test runs can share one server.
    """
    url = _test_database_url(tmp_path_factory.mktemp("db"))
    if not url.startswith("postgresql"):
        yield url
        return
    schema = f"test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The app, created once per test session: real bundled model (loaded when first used), migrated test database."""
    from moderation import create_app
    from moderation.db.migrate import upgrade
    from moderation.extensions import get_engine

    instance = tmp_path_factory.mktemp("instance")
    models = request.config.cache.mkdir("moderation-models")  # assembled weights kept between runs
    saved = os.environ.get("MODERATION_INSTANCE_PATH")
    os.environ["MODERATION_INSTANCE_PATH"] = str(instance)
    try:
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, "MODEL_CACHE_DIR": str(models),
                          "RATELIMIT_DEFAULT": "100000 per minute", "SECRET_KEY": "test-secret-key",
                          "LOAD_MODEL_AT_START": False})
    finally:
        if saved is None:
            os.environ.pop("MODERATION_INSTANCE_PATH", None)
        else:
            os.environ["MODERATION_INSTANCE_PATH"] = saved
    with app.app_context():
        upgrade(get_engine())
    yield app
    with app.app_context():
        get_engine().dispose()


def _clear_tables(app: Flask) -> None:
    from moderation.extensions import get_engine

    with app.app_context():
        engine = get_engine()
        names = [t for t in sa.inspect(engine).get_table_names() if t != "alembic_version"]
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
            else:
                conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
                for name in names:
                    conn.execute(sa.text(f'DELETE FROM "{name}"'))


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test that used the app, empty every table (the schema stays)."""
    yield
    if "app" in request.fixturenames:
        _clear_tables(request.getfixturevalue("app"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the test database, inside an app context.

    On SQLite every transaction takes the write lock (see moderation.db.session): commit after reading
    before code that writes through another session (a CLI command, the test client) runs.
    """
    from moderation.extensions import database

    with app.app_context():
        session = database().sessions()
        try:
            yield session
        finally:
            session.close()


@pytest.fixture
def make_site(app: Flask) -> Callable[..., Any]:
    """Register a site (and optionally its webhook); returns the stored Site."""
    from moderation.extensions import database
    from moderation.services.sites import create_site, set_webhook, site_by_name

    def make(name: str = "Daily Chronicle", domains: tuple[str, ...] = ("dailychronicle.in",),
             webhook_url: str | None = None, policy: str = "default") -> Any:
        with app.app_context():
            session = database().sessions()
            create_site(session, name, list(domains), policy_name=policy, known_policies=tuple(
                app.extensions["moderation"].policies))
            if webhook_url:
                set_webhook(session, name, webhook_url)
            site = site_by_name(session, name)
            session.commit()
            session.close()
            return site

    return make


@pytest.fixture
def make_api_key(app: Flask, make_site: Callable[..., Any]) -> Callable[..., str]:
    """Register a site (`make_site`'s arguments) and return a live API key of it."""
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    def make(name: str = "Daily Chronicle", **site: Any) -> str:
        make_site(name=name, **site)
        with app.app_context():
            session = database().sessions()
            key = create_api_key(session, name)
            session.close()
        return key

    return make


@pytest.fixture
def api_key(make_api_key: Callable[..., str]) -> str:
    """A live API key for the default test site."""
    return make_api_key()


@pytest.fixture
def auth(api_key: str) -> dict[str, str]:
    """Authorization header for the default test site."""
    return {"Authorization": f"Bearer {api_key}"}


class FailingScorer:
    """A scorer whose model is broken: every call raises."""

    name, version = "broken", "0"
    ready = True
    labels: tuple[str, ...] = ()

    def load(self) -> None:
        return None

    def score(self, texts: Any) -> list[Any]:
        from moderation.errors import ScoringError

        raise ScoringError("model crashed")


@pytest.fixture
def fixed_scorer(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Replace the app's scorer with one that gives fixed scores per text, for the duration of a test."""
    from tests.fakes import FixedScorer

    scorer = FixedScorer()
    monkeypatch.setattr(app.extensions["moderation"], "scorer", scorer)
    return scorer


#: Test packages about web and storage behaviour: they run on `fixed_scorer`, never on the model's judgement.
FIXED_SCORE_PACKAGES = ("api", "queue", "perspective", "coral", "services", "db")


@pytest.fixture(autouse=True)
def _fixed_scores(request: pytest.FixtureRequest) -> None:
    """Give the app `fixed_scorer` in the FIXED_SCORE_PACKAGES (in tests that use the app at all)."""
    package = request.path.relative_to(Path(__file__).parent).parts[0]
    if package in FIXED_SCORE_PACKAGES and "app" in request.fixturenames:
        request.getfixturevalue("fixed_scorer")


@pytest.fixture(autouse=True)
def _fresh_scoring_pace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no scoring pace learned: one test's slow fake scorer must not refuse the next's work."""
    from moderation.services.comments import guarded_scoring

    monkeypatch.setattr(guarded_scoring, "pace", guarded_scoring.Pace())


@pytest.fixture
def broken_scorer(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FailingScorer:
    """Replace the app's scorer with one that fails, for the duration of a test."""
    scorer = FailingScorer()
    monkeypatch.setattr(app.extensions["moderation"], "scorer", scorer)
    return scorer
