"""Each site's webhooks on a thread of their own: a hung receiver delays only its own site; given-up deliveries
can be sent again (redrive)."""

from __future__ import annotations

import json
import threading
import time

import sqlalchemy as sa

from moderation.cli.worker import SiteDispatcher
from moderation.db.enums import DeliveryStatus
from moderation.db.models import Site, WebhookDelivery
from moderation.services.webhooks import RetryPolicy, deliver_due, http_post, redrive
from tests.services.conftest import comment_input
from tests.services.test_webhooks import Receiver


def _site_with_comments(db, make_site, scorer, policy, name: str, url: str, count: int) -> int:
    """A site with a webhook and `count` comments (each with its delivery pending); returns the site's id."""
    from moderation.services.comments.submit import submit_comment

    make_site(name=name, domains=(f"{name.lower()}.in",), webhook_url=url)
    site = db.scalar(sa.select(Site).where(Site.name == name))
    db.commit()
    for i in range(count):
        submit_comment(db, scorer, policy, site, comment_input(f"{name}-{i}"), timeout_s=30)
    return site.id


def _statuses(db, site_id: int) -> list[DeliveryStatus]:
    db.expire_all()
    statuses = list(db.scalars(sa.select(WebhookDelivery.status).where(WebhookDelivery.site_id == site_id)))
    db.commit()
    return statuses


def test_a_hung_receiver_delays_only_its_own_sites_deliveries(app, db, make_site, scorer, policy):
    from moderation.extensions import database

    healthy, hung = Receiver(), Receiver()
    release = threading.Event()

    def send(url, body, headers, timeout_s):
        if url == hung.url:
            release.wait(timeout_s)  # a receiver that answers nothing until the send times out
            raise TimeoutError("timed out")
        return http_post(url, body, headers, timeout_s)

    slow = _site_with_comments(db, make_site, scorer, policy, "Slow", hung.url, 3)
    fine = _site_with_comments(db, make_site, scorer, policy, "Fine", healthy.url, 5)
    dispatcher = SiteDispatcher(database().sessions, retry=RetryPolicy(send_timeout_s=20), concurrency=4, send=send)
    try:
        assert dispatcher.dispatch() == 2
        deadline = time.monotonic() + 10
        # the healthy site's thread commits its last delivery a moment before it leaves the busy set
        while set(_statuses(db, fine)) != {DeliveryStatus.DELIVERED} or dispatcher.busy_sites() != [slow]:
            assert time.monotonic() < deadline, "the healthy site's deliveries waited for the hung receiver"
            time.sleep(0.05)
        assert len(healthy.requests) == 5
        assert dispatcher.busy_sites() == [slow]  # still waiting on its first send
        assert dispatcher.dispatch() == 0  # nothing new is started for a site already being sent
        assert set(_statuses(db, slow)) == {DeliveryStatus.PENDING}
    finally:
        release.set()
        dispatcher.close()
        healthy.server.shutdown()
        hung.server.shutdown()


def test_given_up_deliveries_are_redriven_once_each_with_valid_signatures(app, db, make_site, scorer, policy, runner):
    receiver = Receiver()
    try:
        site_id = _site_with_comments(db, make_site, scorer, policy, "Hooked", receiver.url, 3)
        receiver.status = 503  # down: every attempt fails, and each delivery is given up
        assert deliver_due(db, retry=RetryPolicy(max_attempts=1)) == 3
        assert _statuses(db, site_id) == [DeliveryStatus.FAILED] * 3
        receiver.status, receiver.requests[:] = 200, []
        result = runner.invoke(args=["moderation", "redrive-webhooks", "--site", "Hooked"])
        assert result.exit_code == 0 and "3 deliveries queued again" in result.output
        assert deliver_due(db) == 3 and deliver_due(db) == 0
        assert _statuses(db, site_id) == [DeliveryStatus.DELIVERED] * 3
        secret = db.scalar(sa.select(Site.webhook_secret).where(Site.id == site_id))
        db.commit()
        ids = sorted(int(headers["X-Moderation-Delivery"]) for headers, _ in receiver.requests)
        assert len(set(ids)) == 3  # each once, under its original id
        from moderation.services.webhooks import sign
        for headers, body in receiver.requests:
            timestamp = int(headers["X-Moderation-Signature"].split(",")[0].removeprefix("t="))
            assert headers["X-Moderation-Signature"] == sign(secret, timestamp, body)
            assert json.loads(body)["comment"]["external_id"].startswith("Hooked-")
        assert redrive(db) == 0  # nothing left given up
        db.commit()
    finally:
        receiver.server.shutdown()


def test_redrive_of_an_unknown_site_says_so(runner, app):
    result = runner.invoke(args=["moderation", "redrive-webhooks", "--site", "Nowhere"])
    assert result.exit_code == 1 and "Nowhere" in result.output
