"""`flask moderation bench-insights`: how fast the insights page answers over a large store."""

from __future__ import annotations

import json
import tempfile
import time

import click
import sqlalchemy as sa
from flask import current_app

from moderation import config
from moderation.benchmarks.insights import seed_store, time_insights
from moderation.cli.group import group
from moderation.db import migrate
from moderation.db.models import Comment
from moderation.db.session import make_engine
from moderation.errors import ConfigError


@group.command("bench-insights")
@click.option("--comments", "count", default=1_000_000, show_default=True, help="Comments to seed (a year of them).")
@click.option("--database-url", default=None,
              help="An empty scratch database to seed (default: a temporary SQLite file). Never a live one.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_insights(count: int, database_url: str | None, as_json: bool) -> None:
    """Milliseconds for the insights page's figures and charts over COUNT stored comments (best of five): the
    last 30 days of all sites, of one site, and a whole year."""
    chart = current_app.jinja_env.get_template("queue/_charts.html").module.chart  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            url = config.database_url(database_url) if database_url else f"sqlite:///{tmp}/insights.db"
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from exc
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)
            with engine.connect() as conn:
                if conn.scalar(sa.select(sa.func.count()).select_from(Comment)):
                    raise click.ClickException("that database already holds comments: give an empty scratch one")
            started = time.perf_counter()
            seed_store(engine, count)
            seeded = round(time.perf_counter() - started, 1)
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    conn.execute(sa.text("ANALYZE"))  # as autovacuum would, before the planner sees the store
            figures = {"comments": count, "database": engine.dialect.name, "seed_s": seeded,
                       **time_insights(engine, lambda c: str(chart(c)))}
        finally:
            engine.dispose()
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"{count} comments ({figures['database']}, seeded in {figures['seed_s']} s): last 30 days "
               f"{figures['month_ms']} ms, one site {figures['month_site_ms']} ms, a year {figures['year_ms']} ms")
