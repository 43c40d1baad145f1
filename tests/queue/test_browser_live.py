"""The live list in Chromium: at the 20-second poll, rows others decided grey out where they are, and arrivals are
offered as "N new comments" instead of being pushed into the list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.queue.browser import log_in, needs_chromium
from tests.queue.conftest import PASSWORD, clause, csrf_of

pytestmark = [pytest.mark.browser, needs_chromium]


def test_rows_decided_elsewhere_grey_out_and_arrivals_wait_to_be_shown(browser_page, accounts, place, as_role):
    ids = [place(f"Live row {i}", clauses=[clause("obscene", 0.9 - i / 10)]) for i in range(3)]
    w = browser_page
    w.page.clock.install()
    log_in(w, accounts["moderator"], PASSWORD)
    box = w.page.locator(f'li.item[data-id="{ids[1]}"]').bounding_box()

    meera = as_role("admin")
    token = csrf_of(meera.get("/queue/q/pending").text)
    meera.post("/queue/decide", data={"csrf_token": token, "item": f"{ids[1]}@pending:review:1", "verb": "approve"})
    place("Live arrival", age=timedelta(0))
    w.page.clock.run_for(21_000)

    gone = w.page.locator(f'li.item[data-id="{ids[1]}"]')
    gone.locator(".gone-note").wait_for()
    assert "gone" in gone.get_attribute("class")
    assert gone.locator(f"#pick-{ids[1]}").is_disabled() and gone.get_by_role("button", name="Approve").is_disabled()
    assert gone.bounding_box() == box  # nothing moved
    assert w.page.locator("li.item").count() == 3
    note = w.page.get_by_role("button", name="1 new comment: show it")
    note.click()
    w.page.wait_for_load_state()
    w.page.get_by_text("Live arrival").wait_for()
    assert w.page.locator("li.item").count() == 3  # two left of the three, and the arrival
    assert not w.errors and not w.violations()
