"""`flask moderation …` commands, grouped by what they work on."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the `moderation` command group with all its commands."""
    from moderation.cli import scoring  # noqa: F401  (registers its commands)
    from moderation.cli import db, sites, worker  # noqa: F401  (register their commands)
    from moderation.cli import users  # noqa: F401  (registers create-user)
    from moderation.cli import perspective  # noqa: F401  (registers export-suggestions, coral-secret, bench-perspective)
    from moderation.cli.group import group

    app.cli.add_command(group)
