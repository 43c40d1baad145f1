"""`flask moderation bench-queue | bench-replay`: how fast the moderator queue answers with a large backlog, and
how fast a policy replays a large history."""

from __future__ import annotations

import json
from pathlib import Path

import click

from moderation.benchmarks.queue import seed_backlog, time_queue
from moderation.cli.group import group
from moderation.cli.scratch_db import DATABASE_URL_HELP, analyze, scratch_engine


@group.command("bench-queue")
@click.option("--comments", "count", default=20_000, show_default=True, help="Pending comments to seed.")
@click.option("--database-url", default=None, help=DATABASE_URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_queue(count: int, database_url: str | None, as_json: bool) -> None:
    """Milliseconds for a queue page, a page filtered by a clause and a comment's Previous/Next, on COUNT pending
    comments (best of five)."""
    with scratch_engine(database_url, "queue") as engine:
        seed_backlog(engine, count)
        analyze(engine)
        figures = {"comments": count, "database": engine.dialect.name, **time_queue(engine)}
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"{count} pending comments ({figures['database']}): page {figures['page_ms']} ms, filtered page "
               f"{figures['filtered_page_ms']} ms, a comment's place in the list {figures['place_ms']} ms")


@group.command("bench-replay")
@click.option("--comments", "count", default=100_000, show_default=True, help="Stored comments to seed.")
@click.option("--policy", "policy_file", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The candidate policy (default: the configured default policy, unchanged).")
@click.option("--database-url", default=None, help=DATABASE_URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_replay(count: int, policy_file: Path | None, database_url: str | None, as_json: bool) -> None:
    """Seconds and resident memory to replay COUNT stored comments under a policy."""
    from moderation.benchmarks.replay import seed_history, time_replay
    from moderation.extensions import get_policy, resources
    from moderation.policy.loader import load_policy

    candidate = load_policy(policy_file) if policy_file else get_policy()
    with scratch_engine(database_url, "replay") as engine:
        site = seed_history(engine, count)
        analyze(engine)
        figures = {"comments": count, "database": engine.dialect.name,
                   **time_replay(engine, site, candidate, dict(resources().policies))}
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"{figures['replayed']} comments replayed ({figures['database']}) in {figures['seconds']} s "
               f"({figures['comments_per_second']}/s); resident memory {figures['rss_before_mb']} MB before, "
               f"{figures['rss_after_mb']} MB after, peak {figures['peak_rss_mb']} MB")
