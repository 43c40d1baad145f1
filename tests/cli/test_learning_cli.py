"""The replay benchmark seeds a scratch database and replays it (figures in docs/benchmarks.md)."""

from __future__ import annotations

import json


def test_bench_replay_replays_a_seeded_history_and_refuses_a_database_with_comments(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'scratch.db'}"
    result = runner.invoke(args=["moderation", "bench-replay", "--comments", "400", "--database-url", url, "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert (figures["comments"], figures["replayed"], figures["database"]) == (400, 400, "sqlite")
    assert figures["seconds"] >= 0 and figures["peak_rss_mb"] > 0
    again = runner.invoke(args=["moderation", "bench-replay", "--comments", "10", "--database-url", url])
    assert again.exit_code == 1 and "already holds comments" in again.output
