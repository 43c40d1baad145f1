"""The author drawer in Chromium: from a comment to its author's record, a note, and a confirmed suspension that
rejects their waiting comments too."""

from __future__ import annotations

import re

import pytest

from tests.queue.browser import comment_url, log_in, needs_chromium
from tests.queue.conftest import PASSWORD, clause

pytestmark = [pytest.mark.browser, needs_chromium]


def test_suspend_an_author_from_the_drawer(browser_page, accounts, place, state):
    ids = [
        place(f"Troll comment {i}", author="Troll Account", clauses=[clause("personal_attack", 0.9)]) for i in range(3)
    ]
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.go(f"/queue/c/{ids[0]}")
    w.page.get_by_role("link", name=re.compile("Full record")).click()
    w.page.wait_for_url(re.compile(r"/queue/authors/\d+"))
    assert w.page.get_by_role("heading", level=1).inner_text() == "Troll Account"
    w.page.get_by_label("New note").fill("Posts the same insult under every story")
    w.page.get_by_role("button", name="Keep note").click()
    w.page.wait_for_selector(".flash-success")
    assert "Posts the same insult under every story" in w.page.locator(".timeline").inner_text()

    w.page.get_by_label("Suspend 7 days").check()
    w.page.get_by_label(re.compile("^Reason")).fill("insults under every story")
    w.page.get_by_label("Also reject their 3 waiting comments").check()
    w.page.get_by_role("button", name="Suspend or ban").click()  # not confirmed: the browser asks first
    assert w.page.locator("input[name=confirm]").evaluate("el => !el.validity.valid")
    assert [state(c)[0] for c in ids] == ["pending"] * 3
    w.page.get_by_label(re.compile("I confirm")).check()
    w.page.get_by_role("button", name="Suspend or ban").click()
    w.page.wait_for_selector(".flash-success")
    assert "3 waiting comments rejected" in w.page.locator(".flashes").inner_text()
    assert [state(c)[0] for c in ids] == ["rejected"] * 3
    assert w.page.locator("[data-suspended-until]").is_visible()
    w.page.get_by_role("link", name="← Back").click()
    w.page.wait_for_url(comment_url(ids[0]))
    assert not w.errors and not w.violations()
