"""`flask moderation report`: the insights charts in one self-contained HTML file."""

from __future__ import annotations

import re

from moderation.db.base import utcnow
from tests.queue.test_insights import _table, traffic  # noqa: F401  (the comments and decisions to report)


def test_a_weekly_report_is_one_file_with_every_chart_and_its_table(runner, traffic, tmp_path):  # noqa: F811
    out = tmp_path / "week.html"
    today = utcnow().date().isoformat()
    result = runner.invoke(args=["moderation", "report", "--period", "week", "--end", today, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 comments" in result.output
    html = out.read_text(encoding="utf-8")
    assert "Moderation weekly report" in html
    for chart_id in ("outcomes", "backlog", "time-to-decision", "moderators", "clauses", "stories", "reports"):
        assert f'data-chart="{chart_id}"' in html
    assert len(_table(html, "outcomes")) == 8  # the header and seven days
    assert _table(html, "outcomes")[-1][1:] == ["3", "1", "0", "0"]
    # Self-contained: its stylesheet inside, nothing fetched, no script.
    assert "<style>" in html and ".chart svg" in html
    assert not re.search(r"""(src|href)=["']?(https?:|//|/)""", html)
    assert "<script" not in html and "<link" not in html


def test_a_monthly_report_of_one_site(runner, traffic, tmp_path):  # noqa: F811
    out = tmp_path / "month.html"
    result = runner.invoke(args=["moderation", "report", "--period", "month", "--site", "Daily Chronicle",
                                 "--end", utcnow().date().isoformat(), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Moderation monthly report" in html and "Daily Chronicle" in html
    assert len(_table(html, "outcomes")) == 31


def test_the_default_period_ends_yesterday_and_an_unknown_site_is_named(runner, tmp_path):
    result = runner.invoke(args=["moderation", "report", "--period", "week", "--out", str(tmp_path / "w.html")])
    assert result.exit_code == 0, result.output
    assert "0 comments" in result.output
    bad = runner.invoke(args=["moderation", "report", "--period", "week", "--site", "Nowhere", "--out",
                              str(tmp_path / "x.html")])
    assert bad.exit_code != 0 and "no site named 'Nowhere'" in bad.output
