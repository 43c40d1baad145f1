"""The editors' agreement page: the newsroom's figures worked by hand (tests/services/newsroom.py), legal and
admin only, keyboard-reachable, no CSP violation, and a hostile site name shown as text."""

from __future__ import annotations

import re

import pytest

from tests.queue.browser import log_in, needs_chromium
from tests.queue.conftest import PASSWORD
from tests.services.newsroom import build_newsroom

HOSTILE_SITE = "<img src=x onerror=alert('xss-site')>"


@pytest.fixture
def newsroom(app, make_site):
    """Built in a session of its own, closed before the requests under test open theirs."""
    import sqlalchemy as sa

    from moderation.db.models import Site
    from moderation.extensions import database
    from moderation.services.comments.submit import submit_comment

    make_site(name=HOSTILE_SITE)
    policies = app.extensions["moderation"].policies
    scorer = app.extensions["moderation"].scorer
    with app.app_context():
        db = database().sessions()
        site = db.scalar(sa.select(Site))

        def submit(data):
            return submit_comment(db, scorer, policies["default"], site, data, timeout_s=30.0)

        built = build_newsroom(db, submit, policies, site)
        db.commit()
        db.close()
    return built


def _row(html: str, attr: str, key: str) -> list[str]:
    match = re.search(rf'<tr {attr}="{key}">(.*?)</tr>', html, re.S)
    assert match, key
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), re.S)]


def test_the_page_shows_the_figures_worked_by_hand(newsroom, as_role):
    html = as_role("admin").get("/queue/agreement").text
    assert _row(html, "data-clause", "personal_attack") == ["personal_attack", "4", "3", "75%", "1", "75%"]
    assert _row(html, "data-clause", "threats") == ["threats", "1", "0", "0%", "0", "—"]
    assert _row(html, "data-clause", "obscene") == ["obscene", "0", "0", "—", "1", "0%"]
    assert _row(html, "data-language", "en") == ["en", "7", "5", "3", "60%", "2"]
    assert "muslim: 1 of 1 held comments approved" in html
    assert HOSTILE_SITE not in html and "&lt;img src=x" in html


def test_filters_narrow_the_window(newsroom, as_role):
    legal = as_role("legal")
    later = legal.get("/queue/agreement?since=2999-01-01").text
    assert _row(later, "data-clause", "personal_attack") == ["personal_attack", "0", "0", "—", "0", "—"]
    other = legal.get("/queue/agreement?site=Elsewhere").text
    assert "No clauses." in other and "No decisions yet." in other
    bad = legal.get("/queue/agreement?since=yesterday")
    assert bad.status_code == 200 and "were not understood" in bad.text


def test_moderators_do_not_see_it(newsroom, as_role):
    moderator = as_role("moderator")
    assert moderator.get("/queue/agreement").status_code == 403
    assert "/queue/agreement" not in moderator.get("/queue/q/pending").text


@pytest.mark.browser
@needs_chromium
def test_the_page_in_a_browser(newsroom, browser_page, accounts):
    w = browser_page
    log_in(w, accounts["admin"], PASSWORD)
    w.page.get_by_role("link", name="Agreement").click()
    w.page.wait_for_url("**/queue/agreement")
    w.page.get_by_label("Site").focus()
    w.page.keyboard.press("Tab")
    assert w.page.evaluate("document.activeElement.id") == "g-since"
    w.page.get_by_label("Site").select_option(label=HOSTILE_SITE)
    w.page.get_by_role("button", name="Apply").click()
    w.page.wait_for_load_state()
    assert w.page.locator('tr[data-clause="personal_attack"] td').first.inner_text() == "4"
    assert w.page.evaluate("document.querySelectorAll('main img, main script').length") == 0
    assert w.dialogs == [] and not w.errors and not w.violations()
