"""Queue fixtures: accounts for each role, signed-in clients, and comments placed straight into each queue."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.queue.browser import browser_page, chromium, live_server  # noqa: E402,F401  (browser fixtures)

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_throttle(app: Flask) -> Iterator[None]:
    """Each test starts with no failed logins counted."""
    from moderation.services.queue.throttle import LoginThrottle

    saved = app.extensions["moderation.login_throttle"]
    app.extensions["moderation.login_throttle"] = LoginThrottle.from_uri("memory://")
    yield
    app.extensions["moderation.login_throttle"] = saved


@pytest.fixture
def accounts(app: Flask) -> dict[str, str]:
    """One account per role: {"moderator": email, "legal": email, "admin": email}."""
    from moderation.extensions import database
    from moderation.services.queue.accounts import create_user

    out = {}
    with app.app_context():
        session = database().sessions()
        for role, email in (
            ("moderator", "priya.moderator@chronicle.in"),
            ("legal", "arjun.legal@chronicle.in"),
            ("admin", "meera.admin@chronicle.in"),
        ):
            create_user(session, email, role, PASSWORD)
            out[role] = email
        session.close()
    return out


def csrf_of(html: str) -> str:
    """The CSRF token a page put in its forms."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    """Open the login page and post the form with its token, as a browser would."""
    page = client.get("/queue/login")
    return client.post("/queue/login", data={"email": email, "password": password, "csrf_token": csrf_of(page.text)})


@pytest.fixture
def as_role(app: Flask, accounts: dict[str, str]) -> Callable[[str], FlaskClient]:
    """A test client signed in with the given role's account."""

    def make(role: str) -> FlaskClient:
        client = app.test_client()
        response = sign_in(client, accounts[role])
        assert response.status_code == 303, response.text
        return client

    return make


def clause(
    name: str, score: float, action: str = "review", spans: tuple[tuple[int, int, str], ...] = (), reason: str = ""
) -> dict[str, Any]:
    """A fired clause as the scoring service stores it (its kind as the default policy says)."""
    return {
        "clause": name,
        "kind": _default_kinds().get(name, "harm"),
        "action": action,
        "score": score,
        "reason": reason or f"{name} reason",
        "spans": [{"start": s, "end": e, "text": t} for s, e, t in spans],
        "signals": [],
    }


@functools.cache
def _default_kinds() -> dict[str, str]:
    from moderation.policy.loader import load_policy

    policy = load_policy(Path(__file__).resolve().parents[2] / "policies" / "default.toml")
    return {c.id: c.kind.value for c in policy.clauses}


@pytest.fixture
def place(app: Flask, make_site: Callable[..., Any]) -> Callable[..., int]:
    """Put a comment straight into a queue with a chosen score; returns its id."""
    from moderation.db.enums import CommentStatus, Queue
    from moderation.db.models import Article, Author, Comment, CommentRevision
    from moderation.enums import Action
    from moderation.extensions import database
    from moderation.policy.model import ClauseResult, Named, Outcome
    from moderation.services.comments.outcome_store import store_score

    site = make_site(webhook_url="https://dailychronicle.in/hooks/moderation")
    counter = iter(range(1, 10_000))

    def make(
        text: str,
        *,
        status: str = "pending",
        queue: str | None = "review",
        clauses: list[Any] | None = None,
        labels: dict[str, float] | None = None,
        author: str = "Rahul Verma",
        article: str = "Monsoon session opens",
        language: str = "en",
        age: timedelta = timedelta(minutes=5),
        parent_id: int | None = None,
        reports: int = 0,
    ) -> int:
        n = next(counter)
        with app.app_context():
            session = database().sessions()
            art = session.query(Article).filter_by(site_id=site.id, title=article).one_or_none() or Article(
                site_id=site.id, external_id=f"a-{article}", url=f"https://dailychronicle.in/story/{n}", title=article
            )
            who = session.query(Author).filter_by(site_id=site.id, display_name=author).one_or_none() or Author(
                site_id=site.id, external_id=f"u-{author}", display_name=author
            )
            created = datetime.now(UTC) - age
            comment = Comment(
                site_id=site.id,
                external_id=f"c-{n}",
                article=art,
                author=who,
                text=text,
                request_sha256="0" * 64,
                revision=1,
                status=CommentStatus(status),
                queue=Queue(queue) if queue else None,
                scored=True,
                language=language,
                parent_id=parent_id,
                report_count=reports,
                created_at=created,
                updated_at=created,
            )
            comment.revisions.append(CommentRevision(number=1, text=text, created_at=created))
            session.add(comment)
            session.flush()
            outcome = Outcome(
                action=Action.REVIEW,
                lane=None,
                clauses=tuple(ClauseResult.from_dict(c) for c in clauses or ()),
                scores=labels or {"toxicity": 0.1},
                language=language,
                model=Named("bundled-minilm", "1.0"),
                policy=Named("default", "2026.1"),
            )
            store_score(session, comment, outcome)  # as scoring stores it, risk included
            session.commit()
            cid = comment.id
            session.close()
        return cid

    return make


@pytest.fixture
def query(app: Flask) -> Callable[[Callable[[Any], Any]], Any]:
    """Run a function with a short-lived session of its own (never shared with the requests under test)."""
    from moderation.extensions import database

    def run(fn: Callable[[Any], Any]) -> Any:
        with app.app_context():
            session = database().sessions()
            try:
                return fn(session)
            finally:
                session.rollback()
                session.close()

    return run


@pytest.fixture
def state(query: Callable[..., Any]) -> Callable[[int], tuple[str, str | None, bool, int]]:
    """A comment's (status, queue, hidden, revision) as stored now."""
    from moderation.db.models import Comment

    def read(comment_id: int) -> tuple[str, str | None, bool, int]:
        def get(session: Any) -> tuple[str, str | None, bool, int]:
            c = session.get(Comment, comment_id)
            return c.status.value, c.queue.value if c.queue else None, c.hidden, c.revision

        return query(get)

    return read
