"""A page on another site cannot sign a moderator out: refused and anonymous requests leave the cookie alone."""

from __future__ import annotations

import pytest

from tests.queue.browser import log_in, needs_chromium
from tests.queue.conftest import PASSWORD

pytestmark = [pytest.mark.browser, needs_chromium]

#: A second origin (another site entirely): Playwright answers for it, the browser treats it as its own site.
ELSEWHERE = "http://elsewhere.example"


def _hostile_page(w, target: str, fields: dict[str, str]) -> None:
    """Open a page on the other site that posts a form to the queue, as soon as it loads."""
    inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items())
    html = (
        f'<!doctype html><form id="f" method="post" action="{target}">{inputs}</form>'
        '<script>document.getElementById("f").submit()</script>'
    )
    w.page.route(f"{ELSEWHERE}/**", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    w.page.goto(f"{ELSEWHERE}/prize")


def _session_cookie(w) -> str | None:
    """The session cookie's signed content, without its timestamp (a signed-in page view refreshes that)."""
    cookies = [c for c in w.page.context.cookies(w.base) if c["name"] == "moderation_session"]
    return cookies[0]["value"].rsplit(".", 2)[0] if cookies else None


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/queue/decide", {"verb": "approve", "item": "1@pending:review:1"}),
        ("/queue/logout", {}),
        ("/queue/login", {"email": "someone@elsewhere.example", "password": "guessed"}),
        ("/queue/no-such-page", {}),
    ],
)
def test_a_form_posted_from_another_site_leaves_the_moderator_signed_in(browser_page, accounts, path, fields):
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    before = _session_cookie(w)
    assert before

    with w.page.expect_response(lambda r: r.url.startswith(w.base + path) and r.request.method == "POST") as sent:
        _hostile_page(w, w.base + path, fields)
    response = sent.value
    assert "set-cookie" not in response.all_headers(), response.all_headers()
    assert _session_cookie(w) == before

    w.go("/queue/q/pending")
    assert w.page.url.endswith("/queue/q/pending")
    assert w.page.get_by_role("button", name="Sign out").is_visible()


def test_an_anonymous_visitor_gets_no_session_until_signed_in(browser_page, accounts):
    w = browser_page
    w.go("/queue/q/pending")  # redirected to the login page
    assert "/queue/login" in w.page.url
    assert _session_cookie(w) is None
    login_cookie = [c for c in w.page.context.cookies() if c["name"] == "moderation_login"]
    assert login_cookie and login_cookie[0]["httpOnly"] and login_cookie[0]["sameSite"] == "Lax"
    w.page.get_by_label("E-mail address").fill(accounts["moderator"])
    w.page.get_by_label("Password").fill(PASSWORD)
    w.page.get_by_role("button", name="Sign in").click()
    w.page.wait_for_url("**/queue/q/pending")
    assert _session_cookie(w)
    assert not w.errors and not w.violations()
