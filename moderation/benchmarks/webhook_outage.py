"""A webhook receiver's outage: a local receiver that refuses connections while it is down, then verifies every
delivery's signature with the site's secret and counts deliveries by id; and the check, in the database, that
every event of the run's comments was delivered once, none left pending or given up."""

from __future__ import annotations

import hmac
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import DeliveryStatus
from moderation.db.models import Comment, WebhookDelivery
from moderation.services.webhooks import sign

#: A signature older (or newer) than this when it arrives is counted stale, as api.md tells receivers to refuse.
STALE_AFTER_S = 300
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class OutageReceiver:
    """The site's webhook endpoint on this machine. Until `up()` its port is bound but not listening, so every
    delivery attempt is refused at connect, as with a receiver that is down; after it, each POST is checked
    (HMAC-SHA256 of "<t>." + body under the site's secret; 401 when it does not match) and counted by its
    `X-Moderation-Delivery` id. A repeat is answered 200 (a receiver that deduplicates) and counted."""

    def __init__(self, url: str, secret: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname not in _LOCAL_HOSTS or not parts.port:
            raise ValueError(f"the site's webhook {url!r} is not a local http:// address with a port")
        self.secret = secret
        self.received: Counter[int] = Counter()
        self.bad_signatures = 0
        self.stale = 0
        self.up_at: float | None = None
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((parts.hostname, parts.port), self._handler(), bind_and_activate=False)
        self._server.daemon_threads = True
        self._server.server_bind()  # holds the port; with no listen(), connections are refused

    def up(self) -> None:
        """Start accepting deliveries."""
        self._server.server_activate()
        threading.Thread(target=self._server.serve_forever, daemon=True, name="outage-receiver").start()
        self.up_at = time.monotonic()

    def close(self) -> None:
        if self.up_at is not None:
            self._server.shutdown()
        self._server.server_close()

    def verify(self, signature: str, body: bytes) -> tuple[bool, int | None]:
        """Whether `signature` (t=<unix time>,v1=<hex>) signs `body`, and its timestamp."""
        fields = dict(part.split("=", 1) for part in signature.split(",") if "=" in part)
        try:
            timestamp = int(fields.get("t", ""))
        except ValueError:
            return False, None
        return hmac.compare_digest(sign(self.secret, timestamp, body), signature), timestamp

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                valid, timestamp = receiver.verify(self.headers.get("X-Moderation-Signature", ""), body)
                delivery = self.headers.get("X-Moderation-Delivery", "")
                with receiver._lock:
                    if not valid or not delivery.isdigit():
                        receiver.bad_signatures += 1
                    else:
                        receiver.received[int(delivery)] += 1
                        if timestamp is not None and abs(time.time() - timestamp) > STALE_AFTER_S:
                            receiver.stale += 1
                self.send_response(200 if valid else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def _run_deliveries(prefix: str, site_id: int) -> sa.Select[Any]:
    return (sa.select(WebhookDelivery.id, WebhookDelivery.status, WebhookDelivery.attempts)
            .join(Comment, Comment.id == WebhookDelivery.comment_id)
            .where(Comment.site_id == site_id, WebhookDelivery.site_id == site_id,
                   Comment.external_id.startswith(f"{prefix}-")))


def pending_count(session: Session, site_id: int, prefix: str) -> int:
    """The run's deliveries still waiting to be sent."""
    rows = _run_deliveries(prefix, site_id).subquery()
    count = session.scalar(sa.select(sa.func.count()).select_from(rows).where(rows.c.status == DeliveryStatus.PENDING))
    session.commit()
    return int(count or 0)


def check_deliveries(session: Session, site_id: int, prefix: str, receiver: OutageReceiver) -> dict[str, Any]:
    """Every stored comment of the run has its event in the outbox, delivered (in the database) and received
    exactly once with a valid signature; what is still pending or given up; how many attempts it took."""
    rows = session.execute(_run_deliveries(prefix, site_id)).all()
    without = session.scalar(
        sa.select(sa.func.count()).select_from(Comment)
        .where(Comment.site_id == site_id, Comment.external_id.startswith(f"{prefix}-"),
               ~sa.exists().where(WebhookDelivery.comment_id == Comment.id, WebhookDelivery.site_id == site_id))
    )
    session.commit()
    ids = {row.id for row in rows}
    delivered = {row.id for row in rows if row.status == DeliveryStatus.DELIVERED}
    with receiver._lock:
        received, bad, stale = Counter(receiver.received), receiver.bad_signatures, receiver.stale
    attempts = [row.attempts for row in rows if row.status == DeliveryStatus.DELIVERED]
    return {
        "events": len(ids),
        "delivered": len(delivered),
        "received_once": sum(1 for i in ids if received[i] == 1),
        "received_twice_or_more": sum(1 for i in ids if received[i] > 1),
        "delivered_not_received": len({i for i in delivered if not received[i]}),
        "received_not_of_this_run": sum(1 for i in received if i not in ids),
        "bad_signatures": bad,
        "stale_signatures": stale,
        "still_pending": sum(1 for row in rows if row.status == DeliveryStatus.PENDING),
        "given_up": sum(1 for row in rows if row.status == DeliveryStatus.FAILED),
        "comments_without_event": int(without or 0),
        "attempts_per_delivery": {"max": max(attempts, default=0),
                                  "mean": round(sum(attempts) / len(attempts), 2) if attempts else 0.0},
    }


def outage_failed(report: dict[str, Any]) -> bool:
    """Whether the run found anything other than every event delivered exactly once, signed right."""
    d = report["deliveries"]
    return bool(report["stored"]["lost"] or report["stored"]["duplicated"] or d["received_twice_or_more"]
                or d["delivered_not_received"] or d["bad_signatures"] or d["stale_signatures"] or d["still_pending"]
                or d["given_up"] or d["comments_without_event"] or d["received_once"] != d["events"])
