"""Delivering the webhook outbox: signed POSTs, retried with exponential back-off until delivered or given up.

Deliveries are leased one at a time, just before each is sent (its next attempt pushed past the send timeout,
in a short transaction), so a slow receiver cannot let a batch's later rows outlive their lease. The result
is stored only while the lease is still ours (compare-and-set on the leased `next_attempt_at`): a worker
whose send outlasted its lease cannot overwrite what the worker that re-leased the row recorded. A worker
that dies mid-send leaves the row to be retried when the lease ends, so nothing is lost (a receiver may see
an event twice, and can tell by the delivery id). Any failure of one send, whatever its kind, is a failed
attempt of that delivery alone.

Each site's deliveries can be sent on a worker thread of their own (`due_sites`, then `deliver_due` for one
site), so a receiver that hangs until the send timeout delays only its own site's events.

Events about one comment go out in the order they happened: a delivery waits while an earlier one for the
same comment is still pending (being retried), so a retried `published` never lands after a `taken_down`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message as HTTPMessage
from typing import IO, Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import DeliveryStatus
from moderation.db.models import WebhookDelivery
from moderation.services.transaction import unit_of_work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """What a receiver answered: its HTTP status, and where it redirected to (for a 3xx)."""

    status: int
    location: str | None = None


#: Sends one POST: (url, body, headers, timeout_s) -> Answer; raises when no HTTP answer came back.
Sender = Callable[[str, bytes, Mapping[str, str], float], Answer]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently deliveries are retried."""

    max_attempts: int = 10
    base_delay_s: float = 30.0
    max_delay_s: float = 3600.0
    send_timeout_s: float = 10.0

    def delay(self, attempts: int) -> timedelta:
        """Wait before the next attempt after `attempts` failures: base * 2^(attempts-1), capped."""
        return timedelta(seconds=min(self.base_delay_s * 2 ** max(attempts - 1, 0), self.max_delay_s))

    @property
    def lease(self) -> timedelta:
        """How long one leased delivery is left to its worker: the send, with room to record the result."""
        return timedelta(seconds=self.send_timeout_s * 3)


@dataclass(frozen=True)
class _Lease:
    """One delivery leased for sending, with all that is needed to send it (read inside the lease)."""

    id: int
    site_id: int
    comment_id: int | None
    until: datetime
    attempts: int
    event: str
    body: bytes
    url: str | None
    secret: str | None


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: urllib would repeat the POST as a bodiless GET and report the GET's status."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> None:
        return None


def http_post(url: str, body: bytes, headers: Mapping[str, str], timeout_s: float) -> Answer:
    """POST with the standard library, redirects not followed; any HTTP status is returned."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=timeout_s) as response:  # (site-registered URL, http/https only)
            return Answer(int(response.status))
    except urllib.error.HTTPError as exc:
        with exc:
            return Answer(int(exc.code), exc.headers.get("Location"))


def due_sites(session: Session, *, now: Callable[[], datetime] = utcnow) -> list[int]:
    """The ids of the sites that have deliveries due now."""
    with unit_of_work(session):
        return list(session.scalars(
            sa.select(WebhookDelivery.site_id).distinct()
            .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now())
            .order_by(WebhookDelivery.site_id)
        ))


def deliver_due(
    session: Session, send: Sender = http_post, *, retry: RetryPolicy | None = None, limit: int = 50,
    now: Callable[[], datetime] = utcnow, site_id: int | None = None,
) -> int:
    """Attempt the deliveries that are due (up to `limit`; only `site_id`'s when given), each leased as it is
    sent; returns how many."""
    retry = retry or RetryPolicy()
    due_at, attempted = now(), 0
    while attempted < limit:
        # Rows due when the round began: one that failed with no back-off waits for the next round.
        lease = _lease_next(session, due_at, now() + retry.lease, site_id)
        if lease is None:
            break
        _attempt(session, lease, send, retry, now)
        attempted += 1
    return attempted


def _lease_next(session: Session, due_at: datetime, until: datetime, site_id: int | None = None) -> _Lease | None:
    due = [WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= due_at]
    if site_id is not None:
        due.append(WebhookDelivery.site_id == site_id)
    with unit_of_work(session):
        while True:
            row = session.scalars(
                sa.select(WebhookDelivery)
                .where(*due)
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return None
            earlier = _earlier_pending_for_comment(session, row)
            if earlier is None:
                break
            # Held back until the earlier event has had its next try (past this round when that one is due now).
            row.next_attempt_at = max(earlier, until)
            log.info("webhook delivery %s waits for an earlier event of its comment (until %s)", row.id,
                     row.next_attempt_at)
        row.next_attempt_at = until
        return _Lease(id=row.id, site_id=row.site_id, comment_id=row.comment_id, until=until, attempts=row.attempts,
                      event=row.event,
                      body=row.body.encode("utf-8"), url=row.site.webhook_url, secret=row.site.webhook_secret)


def _earlier_pending_for_comment(session: Session, row: WebhookDelivery) -> datetime | None:
    """When the earliest still-pending older delivery about the same comment is next tried, or None."""
    if row.comment_id is None:
        return None
    # One probe of ix_webhook_deliveries_comment, however long the outbox has grown.
    return session.scalar(
        sa.select(WebhookDelivery.next_attempt_at)
        .where(WebhookDelivery.site_id == row.site_id, WebhookDelivery.comment_id == row.comment_id,
               WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.id < row.id)
        .order_by(WebhookDelivery.id)
        .limit(1)
    )


def _release_next_for_comment(session: Session, lease: _Lease, at: datetime) -> None:
    """The delivery is done with (delivered or given up): the comment's next event, held back behind it by
    another worker (see `_lease_next`), is due now rather than when this one's lease would have ended."""
    if lease.comment_id is None:
        return
    following = (
        sa.select(sa.func.min(WebhookDelivery.id))
        .where(WebhookDelivery.site_id == lease.site_id, WebhookDelivery.comment_id == lease.comment_id,
               WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.id > lease.id)
        .scalar_subquery()
    )
    session.execute(
        sa.update(WebhookDelivery)
        .where(WebhookDelivery.id == following, WebhookDelivery.attempts == 0, WebhookDelivery.next_attempt_at > at)
        .values(next_attempt_at=at)
        .execution_options(synchronize_session=False)
    )


def _attempt(session: Session, lease: _Lease, send: Sender, retry: RetryPolicy, now: Callable[[], datetime]) -> None:
    error, code = None, None
    if not lease.url or not lease.secret:
        error = "the site has no webhook URL"
    else:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "moderation-webhooks/1",
            "X-Moderation-Event": lease.event,
            "X-Moderation-Delivery": str(lease.id),
            "X-Moderation-Signature": sign(lease.secret, int(now().timestamp()), lease.body),
        }
        try:
            answer = send(lease.url, lease.body, headers, retry.send_timeout_s)
        except Exception as exc:  # any failure (network, malformed answer, bad URL) is this delivery's alone
            error = f"{type(exc).__name__}: {exc}"
        else:
            code = answer.status
            if 300 <= code < 400:
                error = f"HTTP {code} redirect to {answer.location or '(no Location)'} (not followed)"
            elif not 200 <= code < 300:
                error = f"HTTP {code}"
    _record(session, lease, error, code, retry, now())


def _record(
    session: Session, lease: _Lease, error: str | None, code: int | None, retry: RetryPolicy, at: datetime
) -> None:
    attempts = lease.attempts + 1  # nobody else can have counted one: every writer holds the lease it compares
    values: dict[str, object] = {"attempts": WebhookDelivery.attempts + 1, "last_status_code": code,
                                 "last_error": error}
    if error is None:
        values.update(status=DeliveryStatus.DELIVERED, delivered_at=at)
    elif attempts >= retry.max_attempts:
        values.update(status=DeliveryStatus.FAILED)
    else:
        values.update(next_attempt_at=at + retry.delay(attempts))
    with unit_of_work(session):
        result = session.execute(
            sa.update(WebhookDelivery)
            .where(WebhookDelivery.id == lease.id, WebhookDelivery.status == DeliveryStatus.PENDING,
                   WebhookDelivery.next_attempt_at == lease.until)
            .values(values)
            .execution_options(synchronize_session=False)
        )
        if cast("sa.CursorResult[Any]", result).rowcount and "status" in values:
            _release_next_for_comment(session, lease, at)
    if not cast("sa.CursorResult[Any]", result).rowcount:
        log.warning("webhook delivery %s: lease lost while sending (another worker took it over); "
                    "its result (%s) is not recorded", lease.id, error or f"HTTP {code}")
    elif error is not None and attempts >= retry.max_attempts:
        log.error("webhook delivery %s given up after %d attempts: %s", lease.id, attempts, error)
    elif error is not None:
        log.warning("webhook delivery %s failed (%s); retrying at %s", lease.id, error, values["next_attempt_at"])


def redrive(
    session: Session, *, site_id: int | None = None, delivery_ids: Sequence[int] = (), failed_since: datetime | None = None,
    now: Callable[[], datetime] = utcnow,
) -> int:
    """Queue given-up deliveries again (all of them, or those of one site, those named, or those that failed
    since a time), with a fresh set of attempts; returns how many. Each keeps its id and its exact body, so a
    receiver that orders events by delivery id puts a redriven one where it belongs."""
    conditions = [WebhookDelivery.status == DeliveryStatus.FAILED]
    if site_id is not None:
        conditions.append(WebhookDelivery.site_id == site_id)
    if delivery_ids:
        conditions.append(WebhookDelivery.id.in_(list(delivery_ids)))
    if failed_since is not None:
        conditions.append(WebhookDelivery.next_attempt_at >= failed_since)
    with unit_of_work(session):
        result = session.execute(
            sa.update(WebhookDelivery).where(*conditions)
            .values(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now())
            .execution_options(synchronize_session=False)
        )
    count = int(cast("sa.CursorResult[Any]", result).rowcount)
    log.info("%d given-up webhook deliveries queued again", count)
    return count
