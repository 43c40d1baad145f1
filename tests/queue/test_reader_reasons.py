"""Reasons for the reader: what the commenter is told is apart from the audit note, comes from the guideline's
reader text unless the moderator writes their own, and reaches the site in the webhook and the API."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.queue.conftest import csrf_of


def _reject(client, cid, reason, note=None, message=None, item_page=True):
    page = client.get(f"/queue/c/{cid}").text
    data = {"csrf_token": csrf_of(page), "item": f"{cid}@pending:review:1", "verb": "reject", "reason": reason}
    if note is not None:
        data["note"] = note
    if message is not None:
        data["reader_message"] = message
    return client.post("/queue/decide", data=data, follow_redirects=True)


def _site_record(app, cid):
    """The comment as the site's API reads it, and the webhook payloads sent for it."""
    from moderation.db.models import Comment, WebhookDelivery
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    with app.app_context():
        session = database().sessions()
        external_id = session.get(Comment, cid).external_id
        key = create_api_key(session, "Daily Chronicle")
        session.commit()
        bodies = [json.loads(b) for b in session.scalars(
            sa.select(WebhookDelivery.body).where(WebhookDelivery.comment_id == cid).order_by(WebhookDelivery.id))]
        session.close()
    record = app.test_client().get(f"/api/v1/comments/{external_id}", headers={"Authorization": f"Bearer {key}"})
    assert record.status_code == 200, record.text
    return record.get_json(), bodies


def test_a_rejection_tells_the_reader_the_guidelines_reader_text_and_keeps_the_note_to_the_log(
    app, as_role, place, state
):
    cid = place("Best deals on phones, visit my shop")
    response = _reject(as_role("moderator"), cid, "spam", note="third shop post today")
    assert "Rejected: 1 comment." in response.text and state(cid)[0] == "rejected"
    record, webhooks = _site_record(app, cid)
    told = "It looks like advertising or spam, which we do not publish."
    assert record["reason"] == "spam" and record["reader_message"] == told
    assert record["decisions"][-1]["reader_message"] == told
    assert "third shop post today" not in json.dumps(record)
    assert webhooks[-1]["decision"]["reader_message"] == told and "third shop post today" not in json.dumps(webhooks)


def test_the_moderators_own_words_replace_the_guidelines_text(app, as_role, place):
    cid = place("What about the cricket score?")
    _reject(as_role("moderator"), cid, "off_topic", message="Please keep to the story about the metro line.")
    record, webhooks = _site_record(app, cid)
    assert record["reader_message"] == "Please keep to the story about the metro line."
    assert webhooks[-1]["decision"]["reader_message"] == "Please keep to the story about the metro line."


def test_other_without_words_for_the_reader_tells_them_nothing_in_particular(app, as_role, place):
    cid = place("Something odd")
    _reject(as_role("moderator"), cid, "other", note="duplicate of an earlier post")
    record, _ = _site_record(app, cid)
    assert record["reason"] == "other" and record["reader_message"] is None


@pytest.mark.parametrize("clause", ["spam", "off_topic"])
def test_spam_and_off_topic_are_policy_clauses_with_reader_text(as_role, place, clause):
    from pathlib import Path

    from moderation.policy.loader import load_policy

    policy = load_policy(Path(__file__).resolve().parents[2] / "policies" / "default.toml")
    rule = policy.clause(clause)
    assert rule.reader and rule.reader_text == rule.reader and not rule.labels and not rule.detectors
    page = as_role("moderator").get(f"/queue/c/{place('anything')}").text
    assert f'<option value="{clause}" data-reader="{rule.reader}">' in page
