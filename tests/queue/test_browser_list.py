"""The dense list in Chromium: ten comments on a laptop screen, the first above the fold on a phone, evidence and
reason in each row, a decision from the row itself, filters folded, bulk actions only while something is ticked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.queue.browser import Watched, log_in, needs_chromium
from tests.queue.conftest import PASSWORD, clause

pytestmark = [pytest.mark.browser, needs_chromium]

_VISIBLE = """
() => Array.from(document.querySelectorAll('li.item')).filter(el => {
  const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight;
}).length
"""


def _backlog(place, n):
    long_tail = " and it goes on about the traffic, the weather and the match" * 4
    return [
        place(
            f"Comment {i}: you are an idiot{long_tail}",
            clauses=[
                clause(
                    "personal_attack",
                    0.9 - i / 100,
                    spans=((len(f"Comment {i}: you are "), len(f"Comment {i}: you are an idiot"), "an idiot"),),
                )
            ],
            age=timedelta(minutes=30 - i),
        )
        for i in range(14)
    ]


@pytest.mark.parametrize(
    ("viewport", "at_least"), [({"width": 1280, "height": 800}, 10), ({"width": 390, "height": 844}, 1)]
)
def test_the_list_is_dense_enough(chromium, live_server, accounts, place, viewport, at_least):
    _backlog(place, 14)
    context = chromium.new_context(viewport=viewport)
    w = Watched(context.new_page(), live_server)
    log_in(w, accounts["moderator"], PASSWORD)
    assert w.page.evaluate(_VISIBLE) >= at_least
    assert w.page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()


def test_each_row_shows_its_evidence_and_reason_and_decides_itself(browser_page, accounts, place, state):
    ids = _backlog(place, 3)[:3]
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    row = w.page.locator(f'li.item[data-id="{ids[1]}"]')
    assert row.locator("mark.ev-personal_attack").inner_text() == "an idiot"
    assert row.locator(".why").inner_text() == "personal_attack reason"
    assert row.get_by_label(f"Reason to reject comment {ids[1]}").input_value() == "personal_attack"
    row.get_by_role("button", name="Reject").click()
    w.page.wait_for_selector(".flash-success")
    assert state(ids[1])[0] == "rejected"
    w.page.locator(f'li.item[data-id="{ids[2]}"]').get_by_role("button", name="Approve").click()
    w.page.wait_for_selector(".flash-success")
    assert state(ids[2])[0] == "published" and state(ids[0])[0] == "pending"
    assert not w.errors and not w.violations()


def test_filters_fold_and_bulk_actions_wait_for_a_selection(browser_page, accounts, place):
    ids = _backlog(place, 2)
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    assert w.page.locator("#f-q").is_visible() and not w.page.locator("#f-article").is_visible()
    assert not w.page.locator("#bulk .bulk-actions").is_visible()
    w.page.locator(f"#pick-{ids[0]}").check()
    assert w.page.locator("#bulk .bulk-actions").is_visible()
    w.page.locator(f"#pick-{ids[0]}").uncheck()
    assert not w.page.locator("#bulk .bulk-actions").is_visible()
    w.page.get_by_text("Filters").click()
    w.page.get_by_label("Guideline", exact=True).select_option("personal_attack")
    w.page.get_by_role("button", name="Apply").click()
    w.page.wait_for_url("**clause=personal_attack**")
    assert w.page.locator("#f-article").is_visible()  # a filter is set: they stay open
    assert not w.errors and not w.violations()
