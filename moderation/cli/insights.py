"""`flask moderation report` (the insights charts as one HTML file for the desk) and `bench-insights` (how fast
the insights page answers over a large store)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import current_app

from moderation.benchmarks.insights import seed_store, time_insights
from moderation.cli.group import group
from moderation.cli.scratch_db import DATABASE_URL_HELP, analyze, scratch_engine
from moderation.db.base import utcnow
from moderation.extensions import get_session
from moderation.services.comments.tallies import rebuild
from moderation.services.insights.charts import draw
from moderation.services.insights.figures import Scope, gather
from moderation.services.sites import site_by_name

_PERIOD_DAYS = {"week": 7, "month": 30}


@group.command("report")
@click.option("--period", type=click.Choice(sorted(_PERIOD_DAYS)), required=True,
              help="week: the 7 days up to --end; month: the 30 days up to --end.")
@click.option("--site", "site_name", default=None, help="One site's figures (default: every site's).")
@click.option("--end", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The period's last UTC day (default: yesterday, the last complete day).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The HTML file to write.")
def report(period: str, site_name: str | None, end: datetime | None, out_path: str) -> None:
    """Write the insights charts, each with its table, for a week or a month as one self-contained HTML file."""
    session = get_session()
    site = site_by_name(session, site_name) if site_name else None
    last = end.date() if end else utcnow().date() - timedelta(days=1)
    scope = Scope(last - timedelta(days=_PERIOD_DAYS[period] - 1), last, site.id if site else None)
    figures = gather(session, scope)
    css = (Path(current_app.root_path) / "queue" / "static" / "insights.css").read_text(encoding="utf-8")
    html = current_app.jinja_env.get_template("queue/report.html").render(
        f=figures, charts=[draw(t) for t in figures.tables], css=css, site_name=site.name if site else None,
        title=f"Moderation {'weekly' if period == 'week' else 'monthly'} report", made=utcnow().strftime("%Y-%m-%d %H:%M UTC"),
    )
    Path(out_path).write_text(html, encoding="utf-8")
    click.echo(f"{out_path}: {period} {scope.start.isoformat()} to {scope.end.isoformat()}, "
               f"{figures.headline.get('comments', '0')} comments")


@group.command("rebuild-tallies")
@click.option("--site", "site_name", required=True, help="The site whose tallies to recount.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="The first UTC day to recount (its tallies and the later ones are replaced).")
def rebuild_tallies(site_name: str, since: datetime) -> None:
    """Recount the insights tallies from the decision log and the reports (after upgrading a database that
    already holds comments, so the insights page shows the days before the tallies existed)."""
    session = get_session()
    site = site_by_name(session, site_name)
    read = rebuild(session, site.id, since.date())
    click.echo(f"{site.name}: tallies from {since.date().isoformat()} recounted from {read} decisions")


@group.command("bench-insights")
@click.option("--comments", "count", default=1_000_000, show_default=True, help="Comments to seed (a year of them).")
@click.option("--database-url", default=None, help=DATABASE_URL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_insights(count: int, database_url: str | None, as_json: bool) -> None:
    """Milliseconds for the insights page's figures and charts over COUNT stored comments (best of five): the
    last 30 days of all sites, of one site, and a whole year of all sites and of one."""
    chart = current_app.jinja_env.get_template("queue/_charts.html").module.chart  # type: ignore[attr-defined]
    with scratch_engine(database_url, "insights") as engine:
        started = time.perf_counter()
        seed_store(engine, count)
        seeded = round(time.perf_counter() - started, 1)
        analyze(engine)
        figures = {"comments": count, "database": engine.dialect.name, "seed_s": seeded,
                   **time_insights(engine, lambda c: str(chart(c)))}
    if as_json:
        click.echo(json.dumps(figures))
        return
    click.echo(f"{count} comments ({figures['database']}, seeded in {figures['seed_s']} s): last 30 days "
               f"{figures['month_ms']} ms, one site {figures['month_site_ms']} ms, a year {figures['year_ms']} ms, "
               f"one site's year {figures['year_site_ms']} ms")
