"""`flask moderation …` commands, grouped by what they work on."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the `moderation` command group with all its commands."""
    from moderation.cli import scoring  # noqa: F401  (registers its commands)
    from moderation.cli.group import group

    app.cli.add_command(group)
