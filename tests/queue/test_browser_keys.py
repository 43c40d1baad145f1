"""Browser checks of the pages' behaviour: implicit submission, shortcuts that follow focus, focus rings, long words."""

from __future__ import annotations

import pytest

from tests.queue.browser import comment_url, log_in, needs_chromium
from tests.queue.conftest import PASSWORD, clause

pytestmark = [pytest.mark.browser, needs_chromium]

#: For every form: does a field in it submit the form on Enter, and is the button that would then be used a
#: decision that publishes (approve, escalate, publish an edit)? Textareas and selects do not submit on Enter.
_IMPLICIT_APPROVALS = """
() => Array.from(document.forms).flatMap(form => {
  const implicit = Array.from(form.elements).filter(el => el.tagName === 'INPUT' &&
    !['hidden', 'submit', 'button', 'reset', 'image', 'file'].includes(el.type));
  const byDefault = Array.from(form.elements).find(el =>
    (el.tagName === 'BUTTON' && el.type === 'submit') || (el.tagName === 'INPUT' && el.type === 'submit'));
  if (!implicit.length || !byDefault) return [];
  const verb = byDefault.dataset.verb || byDefault.value || '';
  return (['approve', 'escalate'].includes(verb) || byDefault.classList.contains('approve'))
    ? [(form.id || form.action) + ': ' + byDefault.textContent.trim()] : [];
})
"""


def test_enter_in_a_field_never_approves(browser_page, accounts, place, state):
    ids = [place(f"Comment number {i}", clauses=[clause("obscene", 0.7 - i / 10)]) for i in range(2)]
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    assert w.page.evaluate(_IMPLICIT_APPROVALS) == []
    w.page.locator(f"#pick-{ids[0]}").check()
    w.page.get_by_label("Note").fill("spam")
    w.page.get_by_label("Note").press("Enter")  # the reason is not chosen yet: refused, nothing published
    w.page.wait_for_load_state()
    w.page.wait_for_timeout(300)
    assert state(ids[0])[0] == "pending"
    w.go("/queue/q/pending")
    w.page.locator(f"#pick-{ids[1]}").focus()
    w.page.keyboard.press("Enter")  # on a tick box: opens that comment, decides nothing
    w.page.wait_for_url(comment_url(ids[1]))
    assert [state(i)[0] for i in ids] == ["pending", "pending"]
    assert w.page.evaluate(_IMPLICIT_APPROVALS) == []  # the comment page's forms too
    w.go("/queue/q/pending")
    w.page.locator(f"#pick-{ids[0]}").check()  # the bulk actions show while something is ticked
    w.page.get_by_label("Reject reason").select_option("other")
    w.page.get_by_label("Note").fill("spam run")
    w.page.get_by_label("Note").press("Enter")  # with a reason: Enter rejects with the note
    w.page.wait_for_selector(".flash-success")
    assert state(ids[0])[0] == "rejected" and state(ids[1])[0] == "pending"
    assert not w.errors and not w.violations()


def test_shortcuts_act_on_the_row_with_focus(browser_page, accounts, place, state):
    ids = [place(f"Row {i}", clauses=[clause("obscene", 0.9 - i / 10)]) for i in range(4)]
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.page.locator(f"#pick-{ids[2]}").focus()
    w.page.keyboard.press("Tab")  # on to row 3's links: still row 3
    assert w.page.locator(".item.current").get_attribute("data-id") == str(ids[2])
    w.page.locator(f"#pick-{ids[3]}").focus()
    assert w.page.locator(".item.current").get_attribute("data-id") == str(ids[3])
    w.page.keyboard.press("x")
    assert w.page.locator(f"#pick-{ids[3]}").is_checked() and not w.page.locator(f"#pick-{ids[0]}").is_checked()
    w.page.keyboard.press("x")
    w.page.locator(f'.item[data-id="{ids[1]}"] a.text').focus()
    w.page.keyboard.press("a")
    w.page.wait_for_selector(".flash-success")
    assert [state(i)[0] for i in ids] == ["pending", "published", "pending", "pending"]
    w.page.keyboard.press("Enter")  # just after load: opens the highlighted first row
    w.page.wait_for_url(comment_url(ids[0]))
    assert not w.errors and not w.violations()


def _contrast(rgb_a, rgb_b):
    def luminance(rgb):
        def channel(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


_RING = """
el => {
  const rgb = s => (s.match(/\\d+(\\.\\d+)?/g) || []).slice(0, 4).map(Number);
  let bg = el.parentElement;
  while (bg && (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)' || getComputedStyle(bg).backgroundColor === 'transparent')) bg = bg.parentElement;
  const style = getComputedStyle(el);
  return {ring: rgb(style.outlineColor), width: parseFloat(style.outlineWidth),
          background: rgb(getComputedStyle(bg || document.body).backgroundColor)};
}
"""


def test_focus_rings_stand_out_from_their_background(browser_page, accounts, place):
    cid = place("Something to focus", clauses=[clause("obscene", 0.7)])
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.page.locator(f"#pick-{cid}").check()  # the bulk bar shows its actions while something is ticked
    for selector in ("header .queues a", "#f-q", "#bulk-note", f'.item[data-id="{cid}"] a.text', "#bulk .approve"):
        w.page.locator(selector).first.focus()
        w.page.keyboard.press("Shift+Tab")
        w.page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
        found = w.page.locator(selector).first.evaluate(_RING)
        assert found["width"] >= 2, selector
        assert _contrast(found["ring"][:3], found["background"][:3]) >= 3, (selector, found)


def test_long_words_in_evidence_do_not_widen_the_comment_page(browser_page, accounts, place):
    word = "a" * 400
    text = f"Look at {word} now"
    cid = place(text, author="B" * 120, clauses=[clause("obscene", 0.8, spans=((8, 408, word),))])
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.go(f"/queue/c/{cid}")
    assert w.page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_escape_out_of_the_reason_list_unticks_the_row_r_ticked(browser_page, accounts, place, state):
    ids = [place(f"Row {i}", clauses=[clause("obscene", 0.9 - i / 10)]) for i in range(3)]
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.page.keyboard.press("r")  # ticks the current row and opens the reason list
    assert w.page.locator(f"#pick-{ids[0]}").is_checked()
    w.page.keyboard.press("Escape")  # changed my mind
    assert not w.page.locator(f"#pick-{ids[0]}").is_checked()
    w.page.keyboard.press("j")
    w.page.keyboard.press("j")
    w.page.keyboard.press("a")
    w.page.wait_for_selector(".flash-success")
    assert [state(i)[0] for i in ids] == ["pending", "pending", "published"]  # the highlighted row, only
    assert not w.errors and not w.violations()


def test_approve_asks_before_publishing_the_original_over_an_unsaved_edit(browser_page, accounts, place, state):
    cid = place("I will find that umpire and break his legs.", clauses=[clause("inflammatory", 0.9)])
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.go(f"/queue/c/{cid}")
    w.page.get_by_text("Edit and approve").click()
    w.page.locator("#edit-text").fill("[removed by a moderator]")
    asked: list[str] = []

    def decline(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    w.page.once("dialog", decline)
    w.page.keyboard.press("Escape")
    w.page.keyboard.press("a")
    w.page.wait_for_timeout(300)
    assert asked and "not saved" in asked[0]
    assert state(cid)[0] == "pending"  # nothing published
    assert not w.errors
