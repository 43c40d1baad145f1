"""`flask moderation worker | rescore | redrive-webhooks`: background work outside the request."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime

import click
from flask import current_app
from sqlalchemy.orm import Session, sessionmaker

from moderation.cli.group import group, operator_error
from moderation.extensions import database, get_policy, get_scorer, get_session
from moderation.services.comments.rescore import rescore_unscored
from moderation.services.errors import NotFoundError
from moderation.services.sites import site_by_name
from moderation.services.webhooks import RetryPolicy, Sender, deliver_due, due_sites, http_post, redrive

log = logging.getLogger(__name__)


class SiteDispatcher:
    """Sends each site's due webhooks on a thread of its own, at most `concurrency` sites at once: a receiver
    that hangs until the send timeout holds up only its own site, while the other sites' deliveries go on."""

    def __init__(self, sessions: sessionmaker[Session], *, retry: RetryPolicy, concurrency: int,
                 send: Sender = http_post) -> None:
        self._sessions, self._retry, self._send = sessions, retry, send
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="webhooks")
        self._running: dict[int, Future[int]] = {}
        self._lock = threading.Lock()

    def dispatch(self) -> int:
        """Start sending for every site with deliveries due and none being sent now; returns how many started."""
        session = self._sessions()
        try:
            sites = due_sites(session)
        finally:
            session.close()
        started = 0
        with self._lock:
            for site_id in sites:
                if site_id not in self._running:
                    self._running[site_id] = self._pool.submit(self._deliver, site_id)
                    started += 1
        return started

    def busy_sites(self) -> list[int]:
        """The sites whose deliveries are being sent now."""
        with self._lock:
            return sorted(self._running)

    def wait(self) -> int:
        """Wait for every site being sent now; returns the deliveries attempted (raises a site's failure)."""
        with self._lock:
            futures = list(self._running.values())
        return sum(future.result() for future in futures)

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _deliver(self, site_id: int) -> int:
        session = self._sessions()
        try:
            return deliver_due(session, self._send, retry=self._retry, site_id=site_id)
        except Exception:
            session.rollback()
            log.exception("webhook deliveries of site %s failed; retrying at the next round", site_id)
            raise
        finally:
            session.close()
            with self._lock:
                self._running.pop(site_id, None)


@group.command("worker")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between looks for due deliveries.")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit (non-zero if the round fails).")
@click.option("--max-attempts", default=10, show_default=True, help="Attempts before a delivery is given up.")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(min=1),
              help="Sites whose deliveries are sent at once, each on a thread of its own.")
def worker(interval: float, once: bool, max_attempts: int, concurrency: int) -> None:
    """Deliver the webhook outbox: signed POSTs, retried with exponential back-off, each site on its own thread."""
    dispatcher = SiteDispatcher(database().sessions, retry=RetryPolicy(max_attempts=max_attempts),
                                concurrency=concurrency)
    log.info("webhook worker started (%d sites at once)", concurrency)
    try:
        while True:
            try:
                started = dispatcher.dispatch()
                if once:
                    sent = dispatcher.wait()
                    click.echo(f"{sent} deliveries attempted", err=True)
                    return
            except Exception as exc:
                if once:  # a script running one round must see that it failed
                    raise click.ClickException(f"webhook delivery round failed: {operator_error(exc).message}") from exc
                log.exception("webhook delivery round failed; retrying")
                started = 0
            if not started:
                time.sleep(interval)
            else:
                time.sleep(min(interval, 0.2))  # the sites just started may be done soon, with more due
    finally:
        dispatcher.close()


@group.command("redrive-webhooks")
@click.option("--site", "site_name", help="Only this site's deliveries.")
@click.option("--delivery", "delivery_ids", type=int, multiple=True, help="Only this delivery (repeatable).")
@click.option("--failed-since", type=click.DateTime(), help="Only deliveries given up since this UTC time.")
def redrive_webhooks(site_name: str | None, delivery_ids: tuple[int, ...], failed_since: datetime | None) -> None:
    """Queue given-up webhook deliveries again (after a receiver's outage), each with a fresh set of attempts."""
    session = get_session()
    site_id = None
    if site_name is not None:
        try:
            site_id = site_by_name(session, site_name).id
        except NotFoundError as exc:
            raise click.ClickException(str(exc)) from exc
        session.commit()
    since = failed_since.replace(tzinfo=UTC) if failed_since else None
    count = redrive(session, site_id=site_id, delivery_ids=delivery_ids, failed_since=since)
    click.echo(f"{count} deliveries queued again; `flask moderation worker` sends them", err=True)


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
