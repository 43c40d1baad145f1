"""A scoring worker as `flask moderation scoring-worker` starts one, on FixedScorer instead of the model, for
tests/tasks/test_replicas.py: `python -m tests.tasks.fixed_worker NAME` (settings from MODERATION_* variables)."""

from __future__ import annotations

import sys

from moderation import create_app
from moderation.tasks.worker import run_worker
from tests.fakes import FixedScorer


def main(hostname: str) -> None:
    app = create_app({"LOAD_MODEL_AT_START": False})
    app.extensions["moderation"].scorer = FixedScorer()
    run_worker(app, concurrency=4, loglevel="WARNING", hostname=hostname)


if __name__ == "__main__":
    main(sys.argv[1])
