"""Every page fits a phone and a laptop without sideways scrolling; screenshots are kept to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.queue.browser import Watched, log_in, needs_chromium
from tests.queue.conftest import PASSWORD, clause

pytestmark = [pytest.mark.browser, needs_chromium]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}


def _span(text: str, part: str) -> tuple[int, int, str]:
    start = text.index(part)
    return start, start + len(part), part


@pytest.mark.parametrize("device", VIEWPORTS)
def test_pages_fit_the_screen(chromium, live_server, accounts, place, tmp_path, device):
    out = Path(os.environ.get("MODERATION_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    parent = place(
        "Sab politicians ek jaise hain, koi kaam nahi karta.",
        status="published",
        queue=None,
        author="Deepak Sharma",
        language="hi-latn",
    )
    text = (
        "Rahul you are an absolute idiot, the minister took 50 crore bribe from the builder, read "
        "https://leaks.example/files/minister-bribe-proof for proof"
    )
    cid = place(
        text,
        parent_id=parent,
        author="Amit Kumar",
        reports=2,
        article="Mumbai coastal road opens to traffic",
        labels={"toxicity": 0.91, "insult": 0.87, "threat": 0.04, "obscene": 0.12, "identity_attack": 0.08},
        clauses=[
            clause(
                "personal_attack",
                0.87,
                spans=(_span(text, "you are an absolute idiot"),),
                reason="Insults another reader.",
            ),
            clause(
                "defamatory",
                0.74,
                spans=(_span(text, "the minister took 50 crore bribe"),),
                reason="States an allegation of a crime as fact.",
            ),
            clause(
                "outside_links",
                0.99,
                action="reject",
                spans=(_span(text, "https://leaks.example/files/minister-bribe-proof"),),
                reason="Links to other websites are checked.",
            ),
        ],
    )
    place("तुम जैसे लोग देश के दुश्मन हो", language="hi-deva", author="Sunil Yadav", clauses=[clause("inflammatory", 0.81)])
    fine = place("Great reporting, thank you.", clauses=[clause("outside_links", 0.55)], author="Neha Gupta")
    place("He is a fraud, he should be in jail", queue="legal", clauses=[clause("defamatory", 0.9)])
    context = chromium.new_context(viewport=VIEWPORTS[device], device_scale_factor=1)
    w = Watched(context.new_page(), live_server)
    w.go("/queue/login")
    pages = {"login": None}
    w.page.screenshot(path=str(out / f"{device}-login.png"), full_page=True)
    log_in(w, accounts["legal"], PASSWORD)
    w.go(f"/queue/c/{fine}")
    w.page.keyboard.press("a")  # something for the audit log to show
    w.page.wait_for_selector(".flash-success")
    for name, path in (
        ("pending", "/queue/q/pending"),
        ("comment", f"/queue/c/{cid}"),
        ("legal", "/queue/q/legal"),
        ("audit", "/queue/audit"),
    ):
        w.go(path)
        if name == "pending":
            w.page.locator(".item").nth(1).locator('input[type="checkbox"]').check()
        pages[name] = path
        w.page.screenshot(path=str(out / f"{device}-{name}.png"), full_page=True)
        overflow = w.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on a {device}"
    w.go(f"/queue/c/{cid}")
    w.page.locator("[data-author-drawer]").click()
    w.page.wait_for_url("**/queue/authors/**")
    w.page.screenshot(path=str(out / f"{device}-author.png"), full_page=True)
    overflow = w.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the author drawer scrolls sideways by {overflow}px on a {device}"
    w.go("/queue/stories")
    overflow = w.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the story list scrolls sideways by {overflow}px on a {device}"
    w.go("/queue/q/pending")
    w.page.keyboard.press("?")
    w.page.screenshot(path=str(out / f"{device}-keys.png"))
    assert w.page.locator("#keys").is_visible()
    context.close()
