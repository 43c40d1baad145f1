"""Per-story moderation in Chromium: an editor sees what waits on each story and closes its comments."""

from __future__ import annotations

import pytest

from tests.queue.browser import log_in, needs_chromium
from tests.queue.conftest import PASSWORD

pytestmark = [pytest.mark.browser, needs_chromium]


def test_an_editor_closes_and_reopens_a_storys_comments(browser_page, accounts, place):
    for i in range(2):
        place(f"On the budget {i}", article="Budget day")
    w = browser_page
    log_in(w, accounts["legal"], PASSWORD)
    w.page.get_by_role("link", name="Stories").click()
    w.page.wait_for_url("**/queue/stories")
    row = w.page.locator("tr", has_text="Budget day")
    assert row.locator('td[data-label="Waiting"]').inner_text() == "2"
    row.get_by_role("button", name="Close comments on Budget day").click()
    w.page.wait_for_selector(".flash-success")
    row = w.page.locator("tr", has_text="Budget day")
    assert row.locator(".status").inner_text() == "closed"
    row.get_by_role("button", name="Open comments on Budget day").click()
    w.page.wait_for_selector(".flash-success")
    assert w.page.locator("tr", has_text="Budget day").locator(".status").inner_text() == "open"
    row.locator('td[data-label="Waiting"] a').click()
    w.page.wait_for_url("**/queue/q/pending?article=*")
    assert w.page.locator("li.item").count() == 2
    assert not w.errors and not w.violations()
