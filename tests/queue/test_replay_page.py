"""The admins' policy preview: the newsroom's replay counts (tests/services/test_replay.py worked them by hand),
admins only, nothing written, keyboard-reachable, no CSP violation, hostile comment text inert."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from moderation.db.models import Decision, Score, Site
from moderation.policy.model import LabelSignal
from tests.queue.browser import log_in, needs_chromium
from tests.queue.conftest import PASSWORD
from tests.services.conftest import comment_input
from tests.services.newsroom import build_newsroom

HOSTILE = "You idiot <img src=x onerror=alert('xss-replay')><script>alert('xss-replay2')</script>"


@pytest.fixture
def lenient(app, monkeypatch):
    """A loaded policy that holds personal attacks only from 0.9, and not for insult words alone."""
    policies = app.extensions["moderation"].policies
    default = policies["default"]

    def relax(clause):
        if clause.id != "personal_attack":
            return clause
        return dataclasses.replace(clause, detectors=(), labels=tuple(
            LabelSignal(ls.label, review=0.9, reject=ls.reject) for ls in clause.labels))

    policy = dataclasses.replace(default, name="lenient", clauses=tuple(relax(c) for c in default.clauses))
    monkeypatch.setitem(policies, "lenient", policy)
    return policy


@pytest.fixture
def newsroom(app, make_site):
    """Built in a session of its own, closed before the requests under test open theirs."""
    from moderation.extensions import database
    from moderation.services.comments.submit import submit_comment

    make_site()
    policies = app.extensions["moderation"].policies
    scorer = app.extensions["moderation"].scorer
    with app.app_context():
        db = database().sessions()
        site = db.scalar(sa.select(Site))

        def submit(data):
            return submit_comment(db, scorer, policies["default"], site, data, timeout_s=30.0)

        submit(comment_input("hostile", HOSTILE, author="reader-x"))  # first, so it is among the examples shown
        built = build_newsroom(db, submit, policies, site)
        db.commit()
        db.close()
    return built


def test_the_preview_shows_what_the_policy_would_change(newsroom, lenient, as_role, query):
    written = lambda: query(lambda db: [db.scalar(sa.select(sa.func.count()).select_from(t)) for t in (Decision, Score)])  # noqa: E731
    before = written()
    html = as_role("admin").get("/queue/replay?site=Daily+Chronicle&policy=lenient&days=7").text
    assert "10 comments under lenient" in html and "5 would change" in html
    assert 'data-change="hold_to_publish"' in html and "hold → publish: 5" in html
    assert "Held a day:\n  6.0 now, 1.0 under this policy" in html
    assert HOSTILE not in html and "&lt;img src=x" in html
    assert written() == before


def test_the_preview_asks_for_a_site_and_a_loaded_policy(newsroom, as_role):
    admin = as_role("admin")
    empty = admin.get("/queue/replay").text
    assert "Choose a site" in empty and "replay-summary" not in empty
    unknown = admin.get("/queue/replay?site=Daily+Chronicle&policy=nope").text
    assert "That policy is not loaded." in unknown
    bad = admin.get("/queue/replay?days=1000").text
    assert "were not understood" in bad


def test_only_admins_see_the_preview(newsroom, as_role):
    for role in ("moderator", "legal"):
        client = as_role(role)
        assert client.get("/queue/replay").status_code == 403
        assert "/queue/replay" not in client.get("/queue/q/pending").text


@pytest.mark.browser
@needs_chromium
def test_the_preview_in_a_browser(newsroom, lenient, browser_page, accounts):
    w = browser_page
    log_in(w, accounts["admin"], PASSWORD)
    w.page.get_by_role("link", name="Policy preview").click()
    w.page.wait_for_url("**/queue/replay")
    w.page.get_by_label("Site", exact=True).select_option("Daily Chronicle")
    w.page.get_by_label("Policy", exact=True).select_option("lenient")
    w.page.get_by_label("Days").focus()
    w.page.keyboard.press("Enter")
    w.page.wait_for_selector("#replay-summary")
    assert "5 would change" in w.page.locator("#replay-summary").inner_text()
    assert HOSTILE in w.page.locator("main").inner_text()
    assert w.page.evaluate("document.querySelectorAll('main img, main script').length") == 0
    assert w.dialogs == [] and not w.errors and not w.violations()
