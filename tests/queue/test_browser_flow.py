"""Daily flow in Chromium: one claim while browsing with Next, a refused bulk keeps its ticks, edit-and-approve
moves on, decided lists open newest first."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.queue.browser import comment_url, log_in, needs_chromium
from tests.queue.conftest import PASSWORD, clause

pytestmark = [pytest.mark.browser, needs_chromium]


def _claims(query):
    from moderation.db.models import Claim

    return query(lambda s: s.execute(sa.select(Claim.comment_id)).scalars().all())


def test_browsing_with_next_leaves_no_trail_of_claims(browser_page, accounts, place, query):
    ids = [place(f"Comment to browse {i}", age=timedelta(minutes=10 - i)) for i in range(4)]
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.page.get_by_role("link", name="Comment to browse 0").click()
    w.page.wait_for_url(comment_url(ids[0]))
    for cid in ids[1:]:
        w.page.keyboard.press("j")
        w.page.wait_for_url(comment_url(cid))
        assert _claims(query) == [cid]
    assert not w.errors and not w.violations()


def test_a_bulk_rejection_refused_for_want_of_a_reason_keeps_the_ticks(browser_page, accounts, place, state):
    ids = [place(f"Buy followers cheap {i}", clauses=[clause("outside_links", 0.9)]) for i in range(3)]
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    for cid in ids[:2]:
        w.page.locator(f"#pick-{cid}").check()
    w.page.locator("#bulk").get_by_role("button", name="Reject").click()
    w.page.wait_for_selector(".flash-error")
    assert "Choose the guideline" in w.page.locator(".flashes").inner_text()
    assert w.page.locator("[data-selected-count]").inner_text() == "2 selected"
    assert [w.page.locator(f"#pick-{cid}").is_checked() for cid in ids] == [True, True, False]
    w.page.get_by_label("Reject reason").select_option("outside_links")
    w.page.locator("#bulk").get_by_role("button", name="Reject").click()
    w.page.wait_for_selector(".flash-success")
    assert [state(cid)[0] for cid in ids] == ["rejected", "rejected", "pending"]
    assert not w.errors and not w.violations()


def test_edit_and_approve_goes_on_to_the_next_comment(browser_page, accounts, place, state):
    first = place("Visit http://spam.example now", clauses=[clause("outside_links", 0.9)], age=timedelta(minutes=9))
    second = place("A calm reply", clauses=[clause("outside_links", 0.5)], age=timedelta(minutes=8))
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.page.get_by_role("link", name="Visit http://spam.example now").click()
    w.page.wait_for_url(comment_url(first))
    w.page.get_by_text("Edit and approve").click()
    w.page.locator("#edit-text").fill("Visit [link removed] now")
    w.page.get_by_role("button", name="Publish edited text").click()
    w.page.wait_for_url(comment_url(second))
    assert "Edited and approved" in w.page.locator(".flashes").inner_text()
    assert state(first) == ("published", None, False, 2)
    assert not w.errors and not w.violations()


def test_the_approved_list_shows_the_latest_decisions_first(browser_page, accounts, place):
    old = place("Approved last week", status="published", queue=None, age=timedelta(days=7))
    new = place("Approved a minute ago", status="published", queue=None, age=timedelta(minutes=1))
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.go("/queue/q/approved")
    ids = w.page.locator("li.item").evaluate_all("els => els.map(e => +e.dataset.id)")
    assert ids == [new, old]
    assert w.page.get_by_label("Order").input_value() == "newest"
