"""The real pages in headless Chromium: sign in, decide with the mouse and the keyboard, the legal lane, XSS."""

from __future__ import annotations

import re

import pytest

from tests.queue.browser import Watched, comment_url, log_in, needs_chromium
from tests.queue.conftest import PASSWORD, clause

pytestmark = [pytest.mark.browser, needs_chromium]


def test_sign_in_and_out(browser_page, accounts):
    w = browser_page
    w.go("/queue/q/reported")
    assert "/queue/login" in w.page.url
    w.page.get_by_label("E-mail address").fill(accounts["moderator"])
    w.page.get_by_label("Password").fill("wrong password here")
    w.page.get_by_role("button", name="Sign in").click()
    assert "do not match" in w.page.locator("#login-error").inner_text()
    w.page.get_by_label("Password").fill(PASSWORD)
    w.page.get_by_role("button", name="Sign in").click()
    w.page.wait_for_url("**/queue/q/reported")
    assert w.page.get_by_role("heading", level=1).inner_text().startswith("Reported")
    w.page.get_by_role("button", name="Sign out").click()
    w.page.wait_for_url("**/queue/login")
    w.go("/queue/q/pending")
    assert "/queue/login" in w.page.url
    assert not w.errors and not w.violations()


def test_approve_from_the_comment_page(browser_page, accounts, place, state):
    cid = place("A fair question about the new metro line.", clauses=[clause("outside_links", 0.7)])
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.page.get_by_role("link", name="A fair question about the new metro line.").click()
    w.page.wait_for_url(comment_url(cid))
    w.page.get_by_role("button", name=re.compile("^Approve")).click()
    assert "Approved: 1 comment." in w.page.locator(".flashes").inner_text()
    assert state(cid)[0] == "published"
    assert not w.errors and not w.violations()


def test_reject_with_a_reason(browser_page, accounts, place, state, query):
    import sqlalchemy as sa

    from moderation.db.models import Decision

    cid = place(
        "You are a complete idiot.", clauses=[clause("personal_attack", 0.93, spans=((15, 25, "complete idiot"[:10]),))]
    )
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.go(f"/queue/c/{cid}")
    w.page.get_by_role("button", name=re.compile("^Reject")).click()
    assert "Choose the guideline" in w.page.locator(".flashes").inner_text()
    w.page.get_by_label("Reject because").select_option(label="No personal attacks")
    w.page.get_by_label(re.compile("^Note for the audit log")).fill("insults another reader")
    w.page.get_by_role("button", name=re.compile("^Reject")).click()
    assert "Rejected: 1 comment." in w.page.locator(".flashes").inner_text()
    assert state(cid)[0] == "rejected"
    assert query(lambda s: s.execute(sa.select(Decision.reason, Decision.note)).one()) == (
        "personal_attack",
        "insults another reader",
    )


def test_bulk_reject(browser_page, accounts, place, state):
    spam = [place(f"Earn money fast #{i}", clauses=[clause("outside_links", 0.9)]) for i in range(3)]
    keep = place("A thoughtful comment.")
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    for cid in spam:
        w.page.locator(f"#pick-{cid}").check()
    assert w.page.locator("[data-selected-count]").inner_text() == "3 selected"
    w.page.get_by_label("Reject reason").select_option("other")
    w.page.get_by_label("Note").fill("spam run")
    w.page.locator("#bulk").get_by_role("button", name="Reject").click()
    assert "Rejected: 3 comments." in w.page.locator(".flashes").inner_text()
    assert [state(c)[0] for c in spam] == ["rejected"] * 3
    assert state(keep)[0] == "pending"


def test_select_all_then_approve(browser_page, accounts, place, state):
    ids = [place(f"Fine comment {i}") for i in range(2)]
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.page.get_by_label("Select all on this page").check()
    w.page.locator("#bulk").get_by_role("button", name="Approve").click()
    assert "Approved: 2 comments." in w.page.locator(".flashes").inner_text()
    assert [state(c)[0] for c in ids] == ["published", "published"]


def test_keyboard_decisions(browser_page, accounts, place, state):
    first = place("Highest risk", clauses=[clause("obscene", 0.99, action="reject")])
    second = place("Middle risk", clauses=[clause("personal_attack", 0.8)])
    third = place("Lowest risk", clauses=[clause("outside_links", 0.6)])
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    keys = w.page.keyboard
    keys.press("?")
    assert w.page.locator("#keys").is_visible()
    keys.press("?")
    assert not w.page.locator("#keys").is_visible()
    keys.press("j")
    assert w.page.locator(".item.current").get_attribute("data-id") == str(second)
    keys.press("a")  # nothing selected: approves the current comment
    w.page.wait_for_selector(".flash-success")
    assert state(second)[0] == "published"
    assert [i for i in w.page.locator(".item").evaluate_all("els => els.map(e => +e.dataset.id)")] == [first, third]
    keys.press("x")
    keys.press("j")
    keys.press("x")
    assert w.page.locator("[data-selected-count]").inner_text() == "2 selected"
    keys.press("r")
    reason = w.page.locator("#bulk-reason")
    assert reason.evaluate("el => el === document.activeElement")
    reason.select_option("obscene")
    keys.press("Enter")
    w.page.wait_for_selector(".flash-success")
    assert "Rejected: 2 comments." in w.page.locator(".flashes").inner_text()
    assert state(first)[0] == "rejected" and state(third)[0] == "rejected"
    assert not w.errors and not w.violations()


def test_keyboard_on_the_comment_page_escalates_and_moves_on(browser_page, accounts, place, state):
    first = place("The MLA looted crores from the flood fund", clauses=[clause("defamatory", 0.9)])
    second = place("Next one", clauses=[clause("outside_links", 0.5)])
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.go(f"/queue/c/{first}")
    w.page.keyboard.press("j")
    w.page.wait_for_url(comment_url(second))
    w.page.keyboard.press("k")
    w.page.wait_for_url(comment_url(first))
    w.page.keyboard.press("e")
    w.page.wait_for_selector(".flash-success")
    assert state(first)[:2] == ("pending", "legal")
    assert comment_url(second).search(w.page.url)  # the next comment in the queue opens
    w.page.get_by_label(re.compile("^Note for the audit log")).focus()
    w.page.keyboard.type("a note with the letters a r e")  # typing in a field never triggers a shortcut
    assert state(second)[0] == "pending"


def test_legal_lane_is_decided_only_by_legal(browser_page, chromium, live_server, accounts, place, state):
    cid = place("The editor took bribes from the builder lobby", queue="legal", clauses=[clause("defamatory", 0.88)])
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.go("/queue/q/legal")
    assert "Only legal reviewers and admins decide" in w.page.locator("main").inner_text()
    assert w.page.locator("#bulk").count() == 0 and w.page.locator(f"#pick-{cid}").count() == 0
    w.page.keyboard.press("a")
    w.go(f"/queue/c/{cid}")
    assert w.page.get_by_role("button", name=re.compile("^Approve")).count() == 0
    w.page.keyboard.press("a")
    w.page.wait_for_timeout(300)
    assert state(cid)[:2] == ("pending", "legal")

    legal = chromium.new_context()
    page = legal.new_page()
    lw = Watched(page, live_server)
    log_in(lw, accounts["legal"], PASSWORD)
    lw.go(f"/queue/c/{cid}")
    lw.page.keyboard.press("a")
    lw.page.wait_for_selector(".flash-success")
    assert state(cid)[0] == "published"
    legal.close()


XSS_PAYLOADS = [
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=\"alert('xss-img')\">",
    "<a href=\"javascript:alert('xss-link')\">click for prize</a>",
    "<svg onload=alert('xss-svg')><circle r=40></circle></svg>",
    "<svg><script>alert('xss-svg-script')</script></svg>",
    "\"><img src=x onerror=alert('xss-attr')>",
    "' onmouseover='alert(\"xss-quote\")' x='",
    "<div title=\"</mark><img src=x onerror=alert('xss-mark')>\">broken",
    "<iframe srcdoc=\"<script>parent.alert('xss-frame')</script>\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-mxss')>",
    "javascript:alert('xss-bare')",
    "<body onload=alert('xss-body')>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_comments_show_as_text_and_never_run(browser_page, accounts, place, payload):
    # Evidence in the middle, overlapping: the text is rendered both inside and outside the highlights.
    a, b, c = len(payload) // 4, len(payload) // 2, 3 * len(payload) // 4
    cid = place(
        payload,
        author=payload[:60],
        article="Story " + payload[:80],
        clauses=[
            clause("obscene", 0.9, spans=((a, c, payload[a:c]),)),
            clause("outside_links", 0.7, spans=((b, len(payload) - 1, payload[b:-1]),)),
        ],
    )
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    list_text = w.page.locator(f'.item[data-id="{cid}"] .text').inner_text()
    assert list_text == payload[:280]
    w.page.locator(f'.item[data-id="{cid}"] .text').hover()
    w.go(f"/queue/c/{cid}")
    text = w.page.locator("#comment-text")
    assert text.inner_text() == payload
    assert text.locator("*").evaluate_all("els => els.map(e => e.tagName)") == ["MARK"] * len(
        text.locator("mark").all()
    )
    text.hover()
    text.click()
    w.page.wait_for_timeout(200)
    injected = w.page.evaluate(
        "() => document.querySelectorAll('main script, main iframe, main svg, main img, main math, main a[href^=\"javascript\"]').length"
    )
    assert injected == 0
    assert w.dialogs == []
    assert not w.errors
