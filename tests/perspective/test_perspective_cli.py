"""The operator commands: bench-perspective and coral-secret."""

from __future__ import annotations

import re


def test_bench_perspective_reports_percentiles(runner) -> None:
    result = runner.invoke(args=["moderation", "bench-perspective", "--requests", "4", "--warmup", "1"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("comments:analyze")]
    assert len(lines) == 4 and "model call alone" in result.output
    assert "[typical comment, doNotStore]" in lines[0]
    for line in lines:
        p50, p95 = map(float, re.search(r"p50 ([\d.]+) ms, p95 ([\d.]+) ms", line).groups())
        assert 0 < p50 <= p95


def test_coral_secret_needs_a_known_site_and_a_secret(runner, make_site) -> None:
    missing = runner.invoke(args=["moderation", "coral-secret", "--site", "Nowhere", "--secret", "s"])
    assert missing.exit_code != 0 and "no site named 'Nowhere'" in missing.output
    make_site()
    blank = runner.invoke(args=["moderation", "coral-secret", "--site", "Daily Chronicle", "--secret", "  "])
    assert blank.exit_code != 0 and "empty" in blank.output


def test_bench_perspective_is_not_cut_short_by_the_rate_limit(database_url, app) -> None:
    from moderation import create_app

    limited = create_app({"TESTING": True, "DATABASE_URL": database_url, "LOAD_MODEL_AT_START": False,
                          "MODEL_CACHE_DIR": app.config["MODEL_CACHE_DIR"], "RATELIMIT_DEFAULT": "2 per minute"})
    result = limited.test_cli_runner().invoke(args=["moderation", "bench-perspective", "--requests", "3", "--warmup", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.count("comments:analyze [") == 4
    assert all(limiter.enabled for limiter in limited.extensions["limiter"])  # switched back on afterwards
