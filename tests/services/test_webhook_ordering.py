"""Events about one comment reach the site in the order they happened, retries included."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from moderation.db.base import utcnow
from moderation.db.enums import DeliveryStatus
from moderation.db.models import WebhookDelivery
from moderation.services.comments.takedown import takedown_comment
from moderation.services.webhooks import RetryPolicy, deliver_due
from tests.services import test_webhooks
from tests.services.conftest import comment_input

receiver, hooked_site, pending_delivery = (
    test_webhooks.receiver, test_webhooks.hooked_site, test_webhooks.pending_delivery)  # the same fixtures

RETRY = RetryPolicy(base_delay_s=30)


def _received(receiver):
    return [(json.loads(body)["comment"]["external_id"], json.loads(body)["comment"]["status"])
            for _, body in receiver.requests]


def test_a_later_event_waits_while_an_earlier_one_for_the_comment_is_retried(db, receiver, hooked_site,
                                                                               pending_delivery):
    clock = [utcnow()]
    receiver.status = 503
    assert deliver_due(db, retry=RETRY, now=lambda: clock[0]) == 1  # `published` fails, retried in 30 s
    receiver.status = 200
    takedown_comment(db, hooked_site, "c1", reason="legal request")
    clock[0] += timedelta(seconds=1)
    deliver_due(db, retry=RETRY, now=lambda: clock[0])
    assert _received(receiver) == [("c1", "published")]  # `taken_down` held back
    clock[0] += timedelta(seconds=60)
    deliver_due(db, retry=RETRY, now=lambda: clock[0])
    assert _received(receiver) == [("c1", "published"), ("c1", "published"), ("c1", "taken_down")]
    db.expire_all()
    assert {row.status for row in db.scalars(sa.select(WebhookDelivery))} == {DeliveryStatus.DELIVERED}


def test_other_comments_are_not_held_back(db, scorer, policy, receiver, hooked_site, pending_delivery):
    from moderation.services.comments.submit import submit_comment

    clock = [utcnow()]
    receiver.status = 503
    deliver_due(db, retry=RETRY, now=lambda: clock[0])
    receiver.status = 200
    submit_comment(db, scorer, policy, hooked_site, comment_input("c2"), timeout_s=30)
    db.commit()
    clock[0] += timedelta(seconds=1)
    assert deliver_due(db, retry=RETRY, now=lambda: clock[0]) == 1
    assert _received(receiver) == [("c1", "published"), ("c2", "published")]


def test_an_earlier_event_given_up_no_longer_holds_the_comment_back(db, receiver, hooked_site, pending_delivery):
    clock = [utcnow()]
    receiver.status = 503
    deliver_due(db, retry=RetryPolicy(max_attempts=1), now=lambda: clock[0])  # `published` given up
    receiver.status = 200
    takedown_comment(db, hooked_site, "c1", reason="legal request")
    clock[0] += timedelta(seconds=1)
    assert deliver_due(db, now=lambda: clock[0]) == 1
    assert _received(receiver) == [("c1", "published"), ("c1", "taken_down")]


def test_events_created_together_go_out_in_order_in_one_round(db, receiver, hooked_site, pending_delivery):
    takedown_comment(db, hooked_site, "c1", reason="legal request")
    assert deliver_due(db) == 2
    assert _received(receiver) == [("c1", "published"), ("c1", "taken_down")]


def test_every_delivery_names_the_comment_it_is_about(db, receiver, hooked_site, pending_delivery):
    from moderation.db.models import Comment

    takedown_comment(db, hooked_site, "c1", reason="legal request")
    comment = db.scalar(sa.select(Comment).where(Comment.external_id == "c1"))
    rows = db.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    assert [(row.comment_id, json.loads(row.body)["comment"]["id"]) for row in rows] == [(comment.id, comment.id)] * 2


def test_an_event_held_back_by_another_worker_goes_out_as_soon_as_the_earlier_one_is_delivered(
        app, db, receiver, hooked_site, pending_delivery):
    from moderation.extensions import database
    from moderation.services.webhooks import Answer

    takedown_comment(db, hooked_site, "c1", reason="legal request")
    clock = [utcnow()]
    sent: list[str] = []

    def second_worker(url, body, headers, timeout_s):
        sent.append("second worker")
        return Answer(200)

    def first_worker(url, body, headers, timeout_s):
        sent.append(json.loads(body)["comment"]["status"])
        if len(sent) == 1:  # while `published` is being sent, a second worker's round holds `taken_down` back
            other = database().sessions()
            try:
                assert deliver_due(other, second_worker, retry=RETRY, now=lambda: clock[0]) == 0
            finally:
                other.close()
        return Answer(200)

    assert deliver_due(db, first_worker, retry=RETRY, now=lambda: clock[0]) == 2  # not a lease (30 s) later
    assert sent == ["published", "taken_down"]
