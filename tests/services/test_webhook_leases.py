"""Leases on webhook deliveries: one row at a time, and a result is stored only while its lease is held."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from moderation.db.base import utcnow
from moderation.db.enums import DeliveryStatus
from moderation.db.models import WebhookDelivery
from moderation.services.webhooks import Answer, RetryPolicy, deliver_due
from tests.services import test_webhooks

receiver, hooked_site = test_webhooks.receiver, test_webhooks.hooked_site  # the same fixtures

RETRY = RetryPolicy(send_timeout_s=10)  # a lease of 30 s


def _outbox(db, site, count):
    """`count` due deliveries for the site, oldest first."""
    ids = []
    for i in range(count):
        row = WebhookDelivery(site_id=site.id, event="comment.status_changed", body=f'{{"i": {i}}}')
        db.add(row)
        db.flush()
        ids.append(row.id)
    db.commit()
    return ids


def _rows(db):
    db.expire_all()
    return {row.id: row for row in db.scalars(sa.select(WebhookDelivery))}


def _other_session(app):
    from moderation.extensions import database

    return database().sessions()


def test_a_slow_receiver_does_not_let_a_second_worker_resend_the_rest_of_a_batch(app, db, hooked_site):
    """9 s a request: the first worker is still sending when a batch-wide lease of 30 s would have run out."""
    ids = _outbox(db, hooked_site, 6)
    clock = [utcnow()]
    sent: list[str] = []

    def second_worker_sender(url, body, headers, timeout_s):
        sent.append(headers["X-Moderation-Delivery"])
        return Answer(200)

    def slow_sender(url, body, headers, timeout_s):
        sent.append(headers["X-Moderation-Delivery"])
        clock[0] += timedelta(seconds=9)
        if len(sent) == 4:  # 36 s in: a second worker starts a round
            other = _other_session(app)
            try:
                deliver_due(other, second_worker_sender, retry=RETRY, now=lambda: clock[0])
            finally:
                other.close()
        return Answer(200)

    deliver_due(db, slow_sender, retry=RETRY, now=lambda: clock[0])
    assert Counter(sent) == Counter(str(i) for i in ids)  # each sent once
    rows = _rows(db)
    assert {(row.status, row.attempts) for row in rows.values()} == {(DeliveryStatus.DELIVERED, 1)}


def test_a_late_result_does_not_overwrite_the_result_of_the_worker_that_took_the_row_over(app, db, hooked_site):
    """A send that outlasts its lease: another worker re-leases the row and records; the late result is dropped."""
    [delivery_id] = _outbox(db, hooked_site, 1)
    clock = [utcnow()]

    def refused(url, body, headers, timeout_s):
        return Answer(503)

    def outlasting_its_lease(url, body, headers, timeout_s):
        clock[0] += timedelta(seconds=31)
        other = _other_session(app)
        try:
            assert deliver_due(other, refused, retry=RETRY, now=lambda: clock[0]) == 1
        finally:
            other.close()
        return Answer(200)  # arrives after the other worker stored its attempt

    deliver_due(db, outlasting_its_lease, retry=RETRY, now=lambda: clock[0])
    row = _rows(db)[delivery_id]
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.PENDING, 1, "HTTP 503")
    assert row.next_attempt_at == clock[0] + RETRY.delay(1)


def test_concurrent_workers_send_each_delivery_once_and_count_every_attempt(app, db, hooked_site, receiver):
    """Real workers in threads, each with its own session, against the local receiver (SQLite and PostgreSQL)."""
    ids = _outbox(db, hooked_site, 12)
    errors: list[BaseException] = []

    def work():
        with app.app_context():
            session = _other_session(app)
            try:
                while deliver_due(session, retry=RETRY, limit=3):
                    pass
            except BaseException as exc:  # reported below: an exception in a thread would pass silently
                errors.append(exc)
            finally:
                session.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert Counter(headers["X-Moderation-Delivery"] for headers, _ in receiver.requests) == Counter(
        str(i) for i in ids)
    assert {(row.status, row.attempts) for row in _rows(db).values()} == {(DeliveryStatus.DELIVERED, 1)}
