"""Webhook delivery from the outbox to a real local HTTP receiver: signed, retried with back-off, never lost."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from moderation.db.base import utcnow
from moderation.db.enums import DeliveryStatus
from moderation.db.models import Site, WebhookDelivery
from moderation.services.comments.takedown import takedown_comment
from moderation.services.webhooks import RetryPolicy, deliver_due, sign


class Receiver:
    """A local webhook endpoint that records what it receives and answers with a configurable status."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.others: list[str] = []  # requests other than POST, e.g. a followed redirect
        self.status = 200
        self.location: str | None = None
        self.raw: bytes | None = None  # when set, written as the whole answer (e.g. a malformed status line)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                if receiver.raw is not None:
                    self.wfile.write(receiver.raw)
                    return
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                receiver.others.append(f"GET {self.path}")
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/moderation"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def hooked_site(db, make_site, receiver):
    make_site(name="Hooked", webhook_url=receiver.url)
    site = db.scalar(sa.select(Site).where(Site.name == "Hooked"))
    db.commit()  # end the read: on SQLite every transaction holds the write lock
    return site


@pytest.fixture
def pending_delivery(db, scorer, policy, hooked_site):
    from moderation.services.comments.submit import submit_comment
    from tests.services.conftest import comment_input

    submit_comment(db, scorer, policy, hooked_site, comment_input(), timeout_s=30)
    delivery = db.scalar(sa.select(WebhookDelivery))
    db.commit()
    return delivery


def test_delivery_is_signed_over_timestamp_and_body(db, receiver, hooked_site, pending_delivery):
    assert deliver_due(db) == 1
    headers, body = receiver.requests[0]
    timestamp, signature = (part.split("=", 1)[1] for part in headers["X-Moderation-Signature"].split(","))
    expected = hmac.new(hooked_site.webhook_secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(signature, expected.hexdigest())
    payload = json.loads(body)
    assert payload["event"] == "comment.status_changed"
    assert payload["comment"]["external_id"] == "c1" and payload["comment"]["status"] == "published"
    assert headers["X-Moderation-Delivery"] == str(pending_delivery.id)
    db.expire_all()
    delivered = db.get(WebhookDelivery, pending_delivery.id)
    assert (delivered.status, delivered.attempts, delivered.last_status_code) == (DeliveryStatus.DELIVERED, 1, 200)
    assert delivered.delivered_at is not None
    assert deliver_due(db) == 0


def test_failures_are_retried_with_exponential_back_off_then_given_up(db, receiver, pending_delivery):
    receiver.status = 503
    clock = [utcnow()]
    retry = RetryPolicy(max_attempts=3, base_delay_s=10)
    assert deliver_due(db, retry=retry, now=lambda: clock[0]) == 1
    db.expire_all()
    row = db.get(WebhookDelivery, pending_delivery.id)
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.PENDING, 1, "HTTP 503")
    assert row.next_attempt_at - clock[0] == timedelta(seconds=10)
    assert deliver_due(db, retry=retry, now=lambda: clock[0] + timedelta(seconds=5)) == 0  # not due yet
    clock[0] += timedelta(seconds=10)
    deliver_due(db, retry=retry, now=lambda: clock[0])
    db.expire_all()
    row = db.get(WebhookDelivery, pending_delivery.id)
    assert row.attempts == 2 and row.next_attempt_at - clock[0] == timedelta(seconds=20)
    clock[0] += timedelta(seconds=20)
    deliver_due(db, retry=retry, now=lambda: clock[0])
    db.expire_all()
    assert db.get(WebhookDelivery, pending_delivery.id).status == DeliveryStatus.FAILED
    assert len(receiver.requests) == 3


def test_an_unreachable_receiver_is_retried_and_delivery_resumes(db, receiver, hooked_site, pending_delivery):
    hooked_site.webhook_url = "http://127.0.0.1:9/closed"
    db.commit()
    deliver_due(db, retry=RetryPolicy(send_timeout_s=2))
    db.expire_all()
    row = db.get(WebhookDelivery, pending_delivery.id)
    assert row.status == DeliveryStatus.PENDING and "refused" in row.last_error.lower()
    hooked_site.webhook_url = receiver.url
    row.next_attempt_at = utcnow()
    db.commit()
    assert deliver_due(db) == 1 and len(receiver.requests) == 1


def test_a_delivery_left_mid_send_is_sent_again_after_its_lease(db, receiver, pending_delivery):
    """A worker that died after leasing a delivery (before recording a result) does not lose it."""
    from moderation.services.webhooks import _lease_next

    assert _lease_next(db, utcnow(), utcnow() + timedelta(seconds=30)).id == pending_delivery.id
    assert deliver_due(db) == 0  # leased: another worker leaves it alone
    later = utcnow() + timedelta(seconds=31)
    assert deliver_due(db, now=lambda: later) == 1
    assert len(receiver.requests) == 1


def test_every_status_change_reaches_the_site(db, receiver, hooked_site, pending_delivery):
    takedown_comment(db, hooked_site, "c1", reason="legal request")
    assert deliver_due(db) == 2
    statuses = [json.loads(body)["comment"]["status"] for _, body in receiver.requests]
    assert statuses == ["published", "taken_down"]


def test_worker_command_delivers_what_is_due(runner, receiver, pending_delivery):
    result = runner.invoke(args=["moderation", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert len(receiver.requests) == 1


def test_sign_matches_the_documented_scheme():
    assert sign("s3cret", 1700000000, b"{}") == "t=1700000000,v1=" + hmac.new(
        b"s3cret", b"1700000000.{}", hashlib.sha256).hexdigest()


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_a_failed_attempt_not_a_delivery(db, receiver, pending_delivery, status):
    """Following it would repeat the POST as a bodiless GET (301/302): the event would never arrive."""
    receiver.status, receiver.location = status, "/hooks/moved"
    assert deliver_due(db) == 1
    db.expire_all()
    row = db.get(WebhookDelivery, pending_delivery.id)
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.PENDING, 1, status)
    assert "/hooks/moved" in row.last_error and "redirect" in row.last_error
    assert len(receiver.requests) == 1 and receiver.others == []


def _delivery_for(db, scorer, policy, site, external_id):
    from moderation.services.comments.submit import submit_comment
    from tests.services.conftest import comment_input

    submit_comment(db, scorer, policy, site, comment_input(external_id), timeout_s=30)
    delivery_id = db.scalars(sa.select(WebhookDelivery.id).order_by(WebhookDelivery.id.desc())).first()
    db.commit()
    return delivery_id


@pytest.mark.parametrize("breakage", ["malformed status line", "URL without a scheme", "unknown scheme"])
def test_one_broken_receiver_or_url_fails_alone_and_the_batch_goes_on(
    db, scorer, policy, receiver, hooked_site, make_site, breakage
):
    """An error other than OSError is a failed attempt of that delivery; other sites' deliveries still go out."""
    if breakage == "malformed status line":
        receiver.raw = b"HTTP/1.1 2OO OK\r\n\r\n"
    broken = _delivery_for(db, scorer, policy, hooked_site, "c1")
    if breakage != "malformed status line":  # stored before URLs were checked when set
        hooked_site.webhook_url = {"URL without a scheme": "cms.example/hook", "unknown scheme": "gopher://x/"}[breakage]
        db.commit()
    healthy = Receiver()
    try:
        make_site(name="Healthy", domains=("healthy.example",), webhook_url=healthy.url)
        other = db.scalar(sa.select(Site).where(Site.name == "Healthy"))
        db.commit()
        fine = _delivery_for(db, scorer, policy, other, "h1")
        assert deliver_due(db) == 2
    finally:
        healthy.server.shutdown()
    db.expire_all()
    failed = db.get(WebhookDelivery, broken)
    assert (failed.status, failed.attempts, failed.last_status_code) == (DeliveryStatus.PENDING, 1, None)
    assert failed.last_error and failed.next_attempt_at > utcnow()
    assert db.get(WebhookDelivery, fine).status == DeliveryStatus.DELIVERED and len(healthy.requests) == 1


@pytest.mark.parametrize("url", ["cms.example/hook", "ftp://cms.example/hook", "https:///hook", "http://cms:99999/",
                                 " https://cms.example/hook", "javascript:alert(1)"])
def test_set_webhook_refuses_a_url_the_worker_could_not_post_to(db, make_site, url):
    from moderation.services.errors import InvalidRequestError
    from moderation.services.sites import set_webhook

    make_site(name="Chronicle")
    with pytest.raises(InvalidRequestError, match="http:// or https://") as raised:
        set_webhook(db, "Chronicle", url)
    assert raised.value.field == "url"
    assert db.scalar(sa.select(Site.webhook_url).where(Site.name == "Chronicle")) is None


def test_set_webhook_accepts_http_and_https_urls(db, make_site):
    from moderation.services.sites import set_webhook

    make_site(name="Chronicle")
    for url in ("https://cms.example.com/hooks/moderation", "http://10.0.0.5:8080/h?site=1", "http://[::1]:9/h"):
        assert set_webhook(db, "Chronicle", url)
