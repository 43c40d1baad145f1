"""Headless Chromium for the queue's browser tests: Debian's chromium driven by Playwright, and a live server."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The test app served on a free local port; Chromium treats http://localhost as secure, so Secure cookies work."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watched:
    """A browser page, with every dialog, page error and CSP violation it saw."""

    page: Any
    base: str
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__cspViolations || []"))


_RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def browser_page(chromium: Any, live_server: str) -> Iterator[Watched]:
    """A fresh browser context (no cookies) with a laptop-sized window."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(_RECORD_CSP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    watched = Watched(page, live_server)
    page.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: watched.errors.append(str(e)))
    yield watched
    context.close()


def log_in(w: Watched, email: str, password: str) -> None:
    """Sign in through the real form."""
    w.go("/queue/login")
    w.page.get_by_label("E-mail address").fill(email)
    w.page.get_by_label("Password").fill(password)
    w.page.get_by_role("button", name="Sign in").click()
    w.page.wait_for_url("**/queue/q/pending")


def comment_url(comment_id: int) -> re.Pattern[str]:
    """Matches the page of one comment, whatever list context its query string carries."""
    return re.compile(rf"/queue/c/{comment_id}(\?.*)?$")
