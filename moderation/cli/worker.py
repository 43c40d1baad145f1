"""`flask moderation worker | rescore`: background work outside the request."""

from __future__ import annotations

import logging
import time

import click
from flask import current_app

from moderation.cli.group import group, operator_error
from moderation.extensions import get_policy, get_scorer, get_session
from moderation.services.comments.rescore import rescore_unscored
from moderation.services.webhooks import RetryPolicy, deliver_due

log = logging.getLogger(__name__)


@group.command("worker")
@click.option("--interval", default=2.0, show_default=True, help="Seconds to wait when nothing is due.")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit (non-zero if the round fails).")
@click.option("--max-attempts", default=10, show_default=True, help="Attempts before a delivery is given up.")
def worker(interval: float, once: bool, max_attempts: int) -> None:
    """Deliver the webhook outbox: signed POSTs, retried with exponential back-off."""
    retry = RetryPolicy(max_attempts=max_attempts)
    session = get_session()
    log.info("webhook worker started")
    while True:
        try:
            sent = deliver_due(session, retry=retry)
        except Exception as exc:
            session.rollback()
            if once:  # a script running one round must see that it failed
                raise click.ClickException(f"webhook delivery round failed: {operator_error(exc).message}") from exc
            log.exception("webhook delivery round failed; retrying")
            sent = 0
        if once:
            click.echo(f"{sent} deliveries attempted", err=True)
            return
        if not sent:
            time.sleep(interval)


@group.command("rescore")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.001), default=None,
              help="Seconds to give each comment's scoring [default: MODERATION_RESCORE_TIMEOUT_S, 60].")
def rescore(timeout_s: float | None) -> None:
    """Score the comments that could not be scored when they arrived, and decide those still held for it.

    Its own deadline, not the API's: the API's is short so that readers get an answer, and the comments waiting
    here are often those that timed out there (a slow or overloaded machine)."""
    scorer = get_scorer()
    scorer.load()
    timeout_s = timeout_s if timeout_s is not None else float(current_app.config["RESCORE_TIMEOUT_S"])
    scored, failed = rescore_unscored(get_session(), scorer, get_policy, timeout_s=timeout_s)
    click.echo(f"{scored} scored, {failed} still unscored", err=True)
    if failed:
        raise SystemExit(1)
