"""In Chromium: "The reader will see: …" before a rejection, from the guideline or the moderator's own words."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.queue.browser import log_in, needs_chromium
from tests.queue.conftest import PASSWORD

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_reader_message_is_shown_before_rejecting_and_stored_apart_from_the_note(
    browser_page, accounts, place, state, query
):
    from moderation.db.models import Decision

    cid = place("Cheap flights at my agency, call now")
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.go(f"/queue/c/{cid}")
    preview = w.page.locator("#decide-form [data-reader-preview]")
    assert preview.is_hidden()  # nothing chosen yet
    w.page.get_by_label("Reject because").select_option(label="No spam")
    assert preview.inner_text() == "The reader will see: It looks like advertising or spam, which we do not publish."
    w.page.get_by_label(re.compile("^Message to the commenter")).fill("Adverts are not comments.")
    assert "Adverts are not comments." in preview.inner_text()
    w.page.get_by_label(re.compile("^Note for the audit log")).fill("travel agency spam run")
    w.page.get_by_role("button", name=re.compile("^Reject")).click()
    w.page.wait_for_selector(".flash-success")
    assert state(cid)[0] == "rejected"
    assert query(lambda s: s.execute(sa.select(Decision.reason, Decision.note, Decision.reader_message)
                                     .where(Decision.comment_id == cid, Decision.user_id.is_not(None))).one()) == (
        "spam", "travel agency spam run", "Adverts are not comments.")
    assert not w.errors and not w.violations()
