"""The insights page in Chromium: every chart draws, its CSV holds the numbers of the table behind it, a phone
shows it without sideways scrolling, and the CSP blocks nothing; screenshots are kept to look at."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from tests.queue.browser import Watched, log_in, needs_chromium
from tests.queue.conftest import PASSWORD
from tests.queue.test_insights import traffic  # noqa: F401  (the comments and decisions to chart)

pytestmark = [pytest.mark.browser, needs_chromium]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
CHARTS = ("outcomes", "held-share", "backlog", "time-to-decision", "moderators", "clauses", "stories", "languages",
          "reports")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_every_chart_draws_and_its_csv_matches(chromium, live_server, accounts, traffic, tmp_path, device):  # noqa: F811
    out = Path(os.environ.get("MODERATION_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport=VIEWPORTS[device], device_scale_factor=1)
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                            "e => window.__csp.push(e.violatedDirective));")
    w = Watched(context.new_page(), live_server)
    w.page.on("pageerror", lambda e: w.errors.append(str(e)))
    log_in(w, accounts["admin"], PASSWORD)
    w.go("/queue/insights")
    for chart_id in CHARTS:
        figure = w.page.locator(f'figure[data-chart="{chart_id}"]')
        svg = figure.locator("svg")
        box = svg.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 10, f"{chart_id} is not drawn on a {device}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[device]["width"]
        shapes = figure.locator("svg rect, svg polyline")
        assert shapes.count() > 0, f"{chart_id} has nothing drawn"
        # Bars and lines take their colours from the stylesheet (no inline style): a drawn rect is filled.
        paint = shapes.first.evaluate(
            "e => e.tagName === 'polyline' ? getComputedStyle(e).stroke : getComputedStyle(e).fill")
        assert paint.startswith("rgb"), f"{chart_id} is drawn without its colour: {paint}"
        shown = [[cell.strip() for cell in row.locator("th, td").all_text_contents()]
                 for row in figure.locator("table tr").all()]
        href = figure.locator("a[download]").get_attribute("href")
        response = context.request.get(live_server + href)
        assert response.ok and response.headers["content-type"].startswith("text/csv")
        assert list(csv.reader(io.StringIO(response.text()))) == shown, f"{chart_id}: the CSV differs from the table"
    w.page.screenshot(path=str(out / f"{device}-insights.png"), full_page=True)
    overflow = w.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the insights page scrolls sideways by {overflow}px on a {device}"
    w.page.locator('figure[data-chart="outcomes"] summary').click()  # a reader opens the table behind a chart
    assert w.page.locator('figure[data-chart="outcomes"] table').is_visible()
    w.page.screenshot(path=str(out / f"{device}-insights-table.png"), full_page=True)
    assert w.page.evaluate("window.__csp") == []
    assert w.errors == []
    assert (out / f"{device}-insights.png").stat().st_size > 10_000
    context.close()
