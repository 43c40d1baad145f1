"""`flask moderation scoring-worker`: a Celery worker that scores and decides comments (MODERATION_SCORING=async)."""

from __future__ import annotations

import click
from flask import current_app

from moderation.cli.group import group
from moderation.extensions import get_session
from moderation.services.comments.rescore import unscored_ids
from moderation.tasks.scoring import SCORE_COMMENT
from moderation.tasks.worker import run_worker


@group.command("scoring-worker")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(min=1),
              help="Comments scored at once (threads sharing the one model in this process).")
@click.option("--hostname", default=None, help="The worker's name, unique per broker [default: celery@<host>].")
@click.option("--loglevel", default="INFO", show_default=True)
def scoring_worker(concurrency: int, hostname: str | None, loglevel: str) -> None:
    """Score and decide the comments the API stored as "not scored yet", from the broker (MODERATION_CELERY_BROKER)."""
    run_worker(current_app._get_current_object(), concurrency=concurrency,  # type: ignore[attr-defined]
               loglevel=loglevel, hostname=hostname)


@group.command("queue-rescore")
def queue_rescore() -> None:
    """Hand every comment not scored yet to the scoring workers, split among them (the async `rescore`)."""
    ids = unscored_ids(get_session())
    task = current_app.extensions["moderation.celery"].tasks[SCORE_COMMENT]
    for comment_id in ids:
        task.apply_async(args=[comment_id])
    click.echo(f"{len(ids)} comments queued for the scoring workers", err=True)
