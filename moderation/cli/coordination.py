"""`flask moderation group-comments` (group a past period) and `bench-grouping` (how long grouping takes)."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import click

from moderation.benchmarks.coordination import seed_period, time_grouping
from moderation.cli.group import group
from moderation.cli.scratch_db import DATABASE_URL_HELP, scratch_engine
from moderation.db.base import utcnow
from moderation.extensions import get_session, resources
from moderation.services.comments.coordination import group_stored
from moderation.services.sites import site_by_name


@group.command("group-comments")
@click.option("--site", "site_name", required=True, help="The site whose comments to group.")
@click.option("--hours", default=24, show_default=True, type=click.IntRange(1, 24 * 90),
              help="How far back to look.")
def group_comments(site_name: str, hours: int) -> None:
    """Fingerprint and group the comments of the last HOURS that have no fingerprint yet (comments stored before
    grouping existed); new comments are grouped as they arrive."""
    session = get_session()
    site = site_by_name(session, site_name)
    policy = resources().policies.get(site.policy_name)
    minutes = policy.moderation.coordinated.window_minutes if policy else 60
    now = utcnow()
    started = time.perf_counter()
    run = group_stored(session, site.id, now - timedelta(hours=hours), now, timedelta(minutes=minutes))
    click.echo(f"{run.comments} comments fingerprinted in {time.perf_counter() - started:.1f} s: {run.groups} groups "
               f"of near-identical comments ({run.grouped} comments, the largest {max(run.sizes, default=0)})")


@group.command("bench-grouping")
@click.option("--comments", "count", default=100_000, show_default=True, help="Comments to seed and group.")
@click.option("--database-url", default=None, help=DATABASE_URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_grouping(count: int, database_url: str | None, as_json: bool) -> None:
    """Seconds to fingerprint and group COUNT stored comments (a day of them, 5,000 in 25 campaigns)."""
    with scratch_engine(database_url, "grouping") as engine:
        campaigns = max(1, min(25, count // 400))
        site_id = seed_period(engine, count, campaigns=campaigns, copies=min(200, max(2, count // 500)))
        figures = {"database": engine.dialect.name, **time_grouping(engine, site_id)}
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"{figures['comments']} comments ({figures['database']}) grouped in {figures['seconds']} s: "
               f"{figures['groups']} groups, {figures['grouped']} comments in them, the largest {figures['largest']}")
