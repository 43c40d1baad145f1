"""`flask moderation …` commands, grouped by what they work on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Flask

from moderation import config

#: Options of the `flask` command itself that take a value (`flask --app wsgi run`).
_FLASK_OPTIONS_WITH_VALUE = frozenset({"--app", "-A", "--env-file", "-e"})


def init_app(app: Flask) -> None:
    """Register the `moderation` command group with all its commands."""
    # Importing each module registers its commands on the group.
    from moderation.cli import (  # noqa: F401
        clauses,
        coordination,
        db,
        insights,
        learning,
        learning_bench,
        load_test,
        perspective,
        queue_bench,
        scoring,
        scoring_worker,
        sites,
        users,
        worker,
    )
    from moderation.cli.group import group

    app.cli.add_command(group)


def command_settings(argv: Sequence[str], environ: Mapping[str, str]) -> dict[str, Any]:
    """Settings for the app a `flask …` command builds: only `flask run` loads the model at start, as gunicorn does;
    admin commands (`flask --app wsgi moderation list-users`) start in a second instead of several, and the
    commands that score load the model when they need it. MODERATION_LOAD_MODEL_AT_START, when set, decides."""
    if environ.get("FLASK_RUN_FROM_CLI") != "true" or config.is_set(environ, "LOAD_MODEL_AT_START"):
        return {}
    args = iter(argv[1:])
    for arg in args:
        if arg in _FLASK_OPTIONS_WITH_VALUE:
            next(args, None)
        elif not arg.startswith("-"):
            return {} if arg == "run" else {"LOAD_MODEL_AT_START": False}
    return {"LOAD_MODEL_AT_START": False}  # `flask --help`
