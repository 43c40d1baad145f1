"""The packaged migrations: one head, and exactly the schema the models describe."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from moderation.db.base import Base
from moderation.db.migrate import downgrade, heads, load_all_models, upgrade
from moderation.db.session import make_engine
from tests.conftest import TEST_DATABASE_ENV


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


@pytest.fixture
def blank_engine(tmp_path):
    """An empty database of the kind the suite runs on (a schema of its own on PostgreSQL)."""
    url = os.environ.get(TEST_DATABASE_ENV) or ""
    if not url.startswith("postgresql"):
        engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield engine
        engine.dispose()
        return
    schema = f"mig_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _site_article_author(conn: sa.Connection, now: datetime) -> None:
    """Site 1 with article 1 and author 1, as raw rows (the models may be ahead of the revision under test)."""
    conn.execute(sa.text("INSERT INTO sites (id, name, domains, policy_name, created_at) "
                         "VALUES (1, 's', '[]', 'default', :now)"), {"now": now})
    conn.execute(sa.text("INSERT INTO articles (id, site_id, external_id, url, title, comments_closed, "
                         "premoderate_all, created_at, updated_at) VALUES (1, 1, 'a1', 'u', 't', false, false, "
                         ":now, :now)"), {"now": now})
    conn.execute(sa.text("INSERT INTO authors (id, site_id, external_id, display_name, status, comment_count, "
                         "created_at) VALUES (1, 1, 'u1', 'n', 'normal', 0, :now)"), {"now": now})


def test_0501_keeps_one_report_per_reader_recounts_and_hides_unpublished_comments(blank_engine):
    upgrade(blank_engine, "0500")
    now = datetime.now(UTC)
    with blank_engine.begin() as conn:
        _site_article_author(conn, now)
        for cid, status in ((1, "published"), (2, "pending"), (3, "rejected"), (4, "taken_down")):
            conn.execute(sa.text(
                "INSERT INTO comments (id, site_id, external_id, article_id, author_id, text, request_sha256, "
                "revision, status, hidden, scored, report_count, created_at, updated_at) VALUES (:id, 1, :ext, 1, "
                "1, 'x', 'h', 1, :status, false, true, :reports, :now, :now)"),
                {"id": cid, "ext": f"c{cid}", "status": status, "reports": 6 if cid == 1 else 0, "now": now})
        for reporter in ("r1", "r1", "r1", "r2", None, None):
            conn.execute(sa.text("INSERT INTO reports (comment_id, reason, reporter_external_id, created_at) "
                                 "VALUES (1, 'abuse', :r, :now)"), {"r": reporter, "now": now})
    upgrade(blank_engine)
    with blank_engine.connect() as conn:
        reporters = conn.execute(sa.text("SELECT reporter_external_id FROM reports ORDER BY id")).scalars().all()
        comments = conn.execute(sa.text("SELECT status, hidden, report_count FROM comments ORDER BY id")).all()
    assert reporters == ["r1", "r2", None, None]
    assert [(s, bool(h), n) for s, h, n in comments] == [
        ("published", False, 3), ("pending", True, 0), ("rejected", True, 0), ("taken_down", True, 0)]
    with pytest.raises(sa.exc.IntegrityError), blank_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO reports (comment_id, reason, reporter_external_id, created_at) "
                             "VALUES (1, 'abuse', 'r2', :now)"), {"now": now})
    downgrade(blank_engine, "0500")


def test_0502_gives_existing_deliveries_the_comment_their_body_is_about(blank_engine):
    upgrade(blank_engine, "0501")
    now = datetime.now(UTC)
    bodies = [
        ("pending", {"event": "comment.status_changed", "comment": {"id": 12, "status": "published"},
                     "decision": {"id": 1}}),
        ("delivered", {"event": "comment.edited", "comment": {"id": 1, "revision": 2}}),
        ("pending", {"event": "site.ping"}),
        ("pending", "not json"),
    ]
    with blank_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO sites (id, name, domains, policy_name, created_at) "
                             "VALUES (1, 's', '[]', 'default', :now)"), {"now": now})
        for i, (status, body) in enumerate(bodies, start=1):
            conn.execute(sa.text(
                "INSERT INTO webhook_deliveries (id, site_id, event, body, status, attempts, next_attempt_at, "
                "created_at) VALUES (:id, 1, 'e', :body, :status, 0, :now, :now)"),
                {"id": i, "body": body if isinstance(body, str) else json.dumps(body), "status": status, "now": now})
    upgrade(blank_engine)
    with blank_engine.connect() as conn:
        ids = conn.execute(sa.text("SELECT comment_id FROM webhook_deliveries ORDER BY id")).scalars().all()
    assert ids == [12, 1, None, None]
    downgrade(blank_engine, "0501")


def test_0503_gives_existing_comments_the_risk_of_their_latest_score(blank_engine):
    upgrade(blank_engine, "0502")
    now = datetime.now(UTC)
    link = {"clause": "outside_links", "action": "review", "score": 1.0}
    attack = {"clause": "personal_attack", "action": "review", "score": 0.7}
    obscene = {"clause": "obscene", "action": "reject", "score": 0.6}
    passed = {"clause": "inflammatory", "action": "publish", "score": 0.2}
    scores = [(1, [obscene]), (1, [link, attack, passed]), (2, [passed]), (3, [link])]  # comment 1's newest wins
    with blank_engine.begin() as conn:
        _site_article_author(conn, now)
        for cid in (1, 2, 3, 4):
            conn.execute(sa.text(
                "INSERT INTO comments (id, site_id, external_id, article_id, author_id, text, request_sha256, "
                "revision, status, queue, hidden, scored, report_count, created_at, updated_at) VALUES (:id, 1, "
                ":ext, 1, 1, 'x', 'h', 1, 'pending', 'review', true, true, 0, :now, :now)"),
                {"id": cid, "ext": f"c{cid}", "now": now})
        for cid, clauses in scores:
            conn.execute(sa.text(
                "INSERT INTO scores (comment_id, revision, model_name, model_version, policy_name, policy_version, "
                "label_scores, clauses, holds, action, created_at) VALUES (:cid, 1, 'm', '1', 'default', '1', '{}', "
                ":clauses, '[]', 'review', :now)"), {"cid": cid, "clauses": json.dumps(clauses), "now": now})
    upgrade(blank_engine, "0503")
    with blank_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT risk_rank, risk_score, fired_clauses FROM comments ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [
        (1, 0.7, " outside_links personal_attack "), (-1, 0.0, ""), (0, 1.0, " outside_links "), (-1, 0.0, "")]
    downgrade(blank_engine, "0502")


def test_0504_marks_the_not_scored_holds_and_lets_only_decision_actions_in(blank_engine):
    upgrade(blank_engine, "0503")
    now = datetime.now(UTC)
    with blank_engine.begin() as conn:
        _site_article_author(conn, now)
        conn.execute(sa.text(
            "INSERT INTO comments (id, site_id, external_id, article_id, author_id, text, request_sha256, revision, "
            "status, queue, hidden, scored, report_count, created_at, updated_at) VALUES (1, 1, 'c1', 1, 1, 'x', "
            "'h', 1, 'pending', 'review', true, false, 0, :now, :now)"), {"now": now})
        for action, reason in (("hold", "not scored"), ("hold", "author premoderated"), ("approve", "")):
            conn.execute(sa.text(
                "INSERT INTO decisions (comment_id, actor, action, reason, to_status, created_at) "
                "VALUES (1, 'system', :action, :reason, 'pending', :now)"), {"action": action, "reason": reason,
                                                                             "now": now})
    upgrade(blank_engine)
    with blank_engine.connect() as conn:
        actions = conn.execute(sa.text("SELECT action FROM decisions ORDER BY id")).scalars().all()
    assert actions == ["hold_unscored", "hold", "approve"]
    with pytest.raises(sa.exc.IntegrityError), blank_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO decisions (comment_id, actor, action, reason, to_status, created_at) "
                             "VALUES (1, 'system', 'shrug', '', 'pending', :now)"), {"now": now})
    downgrade(blank_engine, "0503")
    with blank_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT action FROM decisions ORDER BY id")).scalars().all() == [
            "hold", "hold", "approve"]


def test_0505_gives_redacted_revisions_their_editor_from_the_audit_log(blank_engine):
    upgrade(blank_engine, "0504")
    now = datetime.now(UTC)
    with blank_engine.begin() as conn:
        _site_article_author(conn, now)
        conn.execute(sa.text("INSERT INTO users (id, email, password_hash, role, active, created_at) "
                             "VALUES (7, 'priya@chronicle.in', 'x', 'moderator', true, :now)"), {"now": now})
        for cid, numbers in ((1, (1, 2, 3)), (2, (1, 2))):
            conn.execute(sa.text(
                "INSERT INTO comments (id, site_id, external_id, article_id, author_id, text, request_sha256, "
                "revision, status, queue, hidden, scored, report_count, created_at, updated_at) VALUES (:id, 1, "
                ":ext, 1, 1, 'x', 'h', :rev, 'published', NULL, false, true, 0, :now, :now)"),
                {"id": cid, "ext": f"c{cid}", "rev": numbers[-1], "now": now})
            for number in numbers:
                conn.execute(sa.text("INSERT INTO comment_revisions (comment_id, number, text, created_at) "
                                     "VALUES (:cid, :n, 'x', :now)"), {"cid": cid, "n": number, "now": now})
        for actor, action, cid, detail in (
            ("user:7", "comment.moderator_edit", 1, {"revision": 2, "by": "priya@chronicle.in"}),
            ("site", "comment.edit", 1, {"revision": 3}),  # the reader's own edit: no editor
            ("user:99", "comment.moderator_edit", 2, {"revision": 2, "by": "gone@chronicle.in"}),  # no such account
        ):
            conn.execute(sa.text("INSERT INTO audit_log (at, actor, action, entity_type, entity_id, detail) "
                                 "VALUES (:now, :actor, :action, 'comment', :cid, :detail)"),
                         {"now": now, "actor": actor, "action": action, "cid": cid, "detail": json.dumps(detail)})
    upgrade(blank_engine)
    with blank_engine.connect() as conn:
        editors = conn.execute(sa.text(
            "SELECT comment_id, number, editor_id FROM comment_revisions ORDER BY comment_id, number")).all()
    assert [tuple(r) for r in editors] == [(1, 1, None), (1, 2, 7), (1, 3, None), (2, 1, None), (2, 2, None)]
    downgrade(blank_engine, "0504")


def test_0510_ranks_waiting_comments_on_the_harm_ladder_before_their_scores(blank_engine):
    upgrade(blank_engine, "0505")
    now = datetime.now(UTC)
    insult = {"clause": "personal_attack", "kind": "harm", "action": "reject", "score": 0.97, "signals": ["insult"]}
    hate = {"clause": "inflammatory", "kind": "hate", "action": "review", "score": 0.8, "signals": ["dehumanising"]}
    threat_found = {"clause": "inflammatory", "kind": "harm", "action": "review", "score": 0.85, "signals": ["threat"]}
    link = {"clause": "outside_links", "action": "review", "score": 1.0}  # stored before clauses had a kind
    passed = {"clause": "obscene", "kind": "harm", "action": "publish", "score": 0.1}
    scores = [(1, [insult, hate]), (2, [threat_found]), (3, [link]), (4, [passed]), (5, [insult])]
    with blank_engine.begin() as conn:
        _site_article_author(conn, now)
        for cid in (1, 2, 3, 4, 5):
            conn.execute(sa.text(
                "INSERT INTO comments (id, site_id, external_id, article_id, author_id, text, request_sha256, "
                "revision, status, queue, hidden, scored, report_count, created_at, updated_at, risk_rank, risk_score, "
                "fired_clauses) VALUES (:id, 1, :ext, 1, 1, 'x', 'h', 1, 'pending', 'review', true, true, 0, :now, "
                ":now, -1, 0, '')"),
                {"id": cid, "ext": f"c{cid}", "now": now})
        for cid, clauses in scores:
            conn.execute(sa.text(
                "INSERT INTO scores (comment_id, revision, model_name, model_version, policy_name, policy_version, "
                "label_scores, clauses, holds, action, created_at) VALUES (:cid, 1, 'm', '1', 'default', '1', '{}', "
                ":clauses, '[]', 'review', :now)"), {"cid": cid, "clauses": json.dumps(clauses), "now": now})
    upgrade(blank_engine)
    with blank_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT risk_rank, risk_score FROM comments ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(4, 0.8), (6, 0.85), (0, 1.0), (-1, 0.0), (3, 0.97)]
    downgrade(blank_engine, "0505")
    with blank_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT risk_rank, risk_score FROM comments ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(2, 0.97), (1, 0.85), (0, 1.0), (-1, 0.0), (2, 0.97)]


def test_0560_sums_the_kept_per_story_tallies_by_month(blank_engine):
    upgrade(blank_engine, "0542")
    now = datetime.now(UTC)
    daily = [("article_held", "2026-03-30", "1", 2), ("article_held", "2026-03-31", "1", 3),
             ("article_held", "2026-04-01", "1", 4), ("article_reports", "2026-03-02", "1", 5),
             ("article_held", "2026-03-05", "2", 1), ("arrived", "2026-03-05", "held", 7)]
    with blank_engine.begin() as conn:
        _site_article_author(conn, now)
        for metric, day, key, count in daily:
            conn.execute(sa.text("INSERT INTO insight_tallies (metric, day, site_id, key, count) "
                                 "VALUES (:m, :d, 1, :k, :n)"), {"m": metric, "d": day, "k": key, "n": count})
    upgrade(blank_engine)
    with blank_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT metric, CAST(month AS VARCHAR(10)), site_id, key, count "
                                    "FROM insight_story_months ORDER BY metric, month, key")).all()
    assert [tuple(r) for r in rows] == [
        ("article_held", "2026-03-01", 1, "1", 5), ("article_held", "2026-03-01", 1, "2", 1),
        ("article_held", "2026-04-01", 1, "1", 4), ("article_reports", "2026-03-01", 1, "1", 5)]
    downgrade(blank_engine, "0542")
