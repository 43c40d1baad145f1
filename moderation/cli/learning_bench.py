"""`flask moderation bench-calibration`: calibration on a simulated newsroom whose moderators disagree with the
default policy on one clause (figures in docs/model.md)."""

from __future__ import annotations

import json
import tempfile

import click

from moderation.benchmarks.calibration import simulate
from moderation.cli.group import group
from moderation.db import migrate
from moderation.db.session import make_engine
from moderation.extensions import get_policy


@group.command("bench-calibration")
@click.option("--comments", "count", default=3000, show_default=True, help="Simulated comments to seed.")
def bench_calibration(count: int) -> None:
    """Seed a simulated newsroom in a temporary SQLite file, calibrate on it and print the figures as JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/simulated.db")
        try:
            migrate.upgrade(engine)
            figures = simulate(engine, count, get_policy("default"))
        finally:
            engine.dispose()
    click.echo(json.dumps(figures, indent=2))
