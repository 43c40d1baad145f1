"""The `flask moderation` command group that every CLI module adds its commands to."""

from __future__ import annotations

from flask.cli import AppGroup

group = AppGroup("moderation", help="Moderation service commands.")
