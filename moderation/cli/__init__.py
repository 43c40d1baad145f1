"""`flask moderation …` commands, grouped by what they work on."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the `moderation` command group with all its commands."""
    # Importing each module registers its commands on the group.
    from moderation.cli import db, perspective, queue_bench, scoring, sites, users, worker  # noqa: F401
    from moderation.cli.group import group

    app.cli.add_command(group)
