"""The harm ladder in Chromium: a threat above a run of high-scoring insults, the signal named on its chip, and the
comment page telling the rule's finding apart from the model's scores."""

from __future__ import annotations

import pytest

from tests.queue.browser import comment_url, log_in, needs_chromium
from tests.queue.conftest import PASSWORD, clause

pytestmark = [pytest.mark.browser, needs_chromium]


def _fired(name, score, *signals, spans=()):
    return {**clause(name, score, spans=spans), "signals": list(signals)}


def test_a_threat_tops_the_list_and_its_page_shows_what_the_rule_found(browser_page, accounts, place):
    for i in range(8):
        place(f"You absolute clown, number {i}", clauses=[_fired("personal_attack", 0.93 + i / 200, "insult")])
    vermin = place("Those people are vermin", clauses=[_fired("inflammatory", 0.8, "dehumanising")])
    legs = place(
        "I will break his legs",
        clauses=[_fired("threats", 0.8, "threat", spans=((7, 21, "break his legs"),))],
        labels={"threat": 0.01, "insult": 0.2},
    )
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    items = w.page.locator("li.item")
    assert items.nth(0).get_attribute("data-id") == str(legs)
    assert items.nth(1).get_attribute("data-id") == str(vermin)
    assert "threats · threat" in " ".join(items.nth(0).locator(".chip").inner_text().split())
    assert "inflammatory · dehumanising" in " ".join(items.nth(1).locator(".chip").inner_text().split())

    w.page.get_by_role("link", name="I will break his legs").click()
    w.page.wait_for_url(comment_url(legs))
    finding = w.page.locator("tr[data-finding='threat']")
    assert finding.locator("td").nth(0).inner_text() == "rule"
    assert "break his legs" in finding.inner_text() and "%" not in finding.inner_text()
    assert w.page.locator("tr[data-label='threat'] td").nth(0).inner_text() == "model"
    assert not w.errors and not w.violations()
