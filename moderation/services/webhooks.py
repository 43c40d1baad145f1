"""Delivering the webhook outbox: signed POSTs, retried with exponential back-off until delivered or given up.

Each due delivery is first leased (its next attempt pushed past the send timeout) in a short transaction,
then sent, then its result stored; a worker that dies mid-send leaves the row to be retried when the lease
ends, so a restart loses nothing (a receiver may see an event twice, and can tell by the delivery id).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.db.enums import DeliveryStatus
from moderation.db.models import WebhookDelivery
from moderation.services.transaction import unit_of_work

log = logging.getLogger(__name__)

#: Sends one POST: (url, body, headers, timeout_s) -> HTTP status; raises OSError when the receiver is unreachable.
Sender = Callable[[str, bytes, Mapping[str, str], float], int]


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


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def http_post(url: str, body: bytes, headers: Mapping[str, str], timeout_s: float) -> int:
    """POST with the standard library; any HTTP status is returned, network failures raise OSError."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310  (site-registered URL)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def deliver_due(
    session: Session, send: Sender = http_post, *, retry: RetryPolicy | None = None, limit: int = 50,
    now: Callable[[], datetime] = utcnow,
) -> int:
    """Attempt every delivery that is due (up to `limit`); returns how many were attempted."""
    retry = retry or RetryPolicy()
    leased = _lease(session, limit, now() + timedelta(seconds=retry.send_timeout_s * 3), now())
    for delivery_id in leased:
        _attempt(session, delivery_id, send, retry, now)
    return len(leased)


def _lease(session: Session, limit: int, until: datetime, at: datetime) -> list[int]:
    with unit_of_work(session):
        rows = session.scalars(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= at)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.next_attempt_at = until
    return [row.id for row in rows]


def _attempt(
    session: Session, delivery_id: int, send: Sender, retry: RetryPolicy, now: Callable[[], datetime]
) -> None:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        session.commit()
        return
    site, body = delivery.site, delivery.body.encode("utf-8")
    session.commit()
    error, code = None, None
    if not site.webhook_url or not site.webhook_secret:
        error = "the site has no webhook URL"
    else:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "moderation-webhooks/1",
            "X-Moderation-Event": delivery.event,
            "X-Moderation-Delivery": str(delivery.id),
            "X-Moderation-Signature": sign(site.webhook_secret, int(now().timestamp()), body),
        }
        try:
            code = send(site.webhook_url, body, headers, retry.send_timeout_s)
            if not 200 <= code < 300:
                error = f"HTTP {code}"
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc}"
    _record(session, delivery, error, code, retry, now())


def _record(
    session: Session, delivery: WebhookDelivery, error: str | None, code: int | None, retry: RetryPolicy,
    at: datetime,
) -> None:
    with unit_of_work(session):
        delivery.attempts += 1
        delivery.last_status_code = code
        delivery.last_error = error
        if error is None:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, at
        elif delivery.attempts >= retry.max_attempts:
            delivery.status = DeliveryStatus.FAILED
            log.error("webhook delivery %s given up after %d attempts: %s", delivery.id, delivery.attempts, error)
        else:
            delivery.next_attempt_at = at + retry.delay(delivery.attempts)
            log.warning("webhook delivery %s failed (%s); retrying at %s", delivery.id, error, delivery.next_attempt_at)
