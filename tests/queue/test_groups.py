"""Coordinated comments in the queue: a group is one item, its page lists its members, and one decision applies
to every waiting member, each member's audit row naming the group."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.queue.conftest import csrf_of

CAMPAIGN = ("The minister has done more for this district than anyone in twenty years. "
            "Vote for progress, vote for the minister on Sunday! ({n})")


@pytest.fixture
def group_of(app):
    """Group the placed comments as `flask moderation group-comments` would; returns the group id."""
    from moderation.db.base import utcnow
    from moderation.db.models import CommentFingerprint, Site
    from moderation.extensions import database
    from moderation.services.comments.coordination import group_stored

    def make(ids):
        with app.app_context():
            session = database().sessions()
            site_id = session.scalar(sa.select(Site.id))
            now = utcnow()
            group_stored(session, site_id, now - timedelta(days=1), now + timedelta(minutes=1), timedelta(hours=1))
            groups = set(session.scalars(sa.select(CommentFingerprint.group_id)
                                         .where(CommentFingerprint.comment_id.in_(ids))))
            session.close()
        assert len(groups) == 1 and None not in groups
        return groups.pop()

    return make


def _audit_rows(query, ids):
    from moderation.db.models import AuditLog

    return query(lambda s: list(s.scalars(sa.select(AuditLog.detail).where(
        AuditLog.entity_id.in_(ids), AuditLog.action == "comment.reject"))))


def test_a_group_of_200_is_decided_in_one_action(as_role, place, group_of, state, query):
    ids = [place(CAMPAIGN.format(n=n), author=f"Reader {n % 40}", article=f"Story {n % 3}") for n in range(200)]
    lone = place("The bridge repairs were promised two years ago and nothing has happened since.")
    group_id = group_of(ids)
    client = as_role("moderator")

    listing = client.get("/queue/groups")
    assert listing.status_code == 200
    assert f'data-group="{group_id}"' in listing.text
    assert listing.text.count("data-group=") == 1  # the group is one item, the lone comment is not one

    page = client.get(f"/queue/groups/{group_id}")
    assert page.text.count("data-member=") == 200
    items = [f"{i}@pending:review:1" for i in ids]
    response = client.post(f"/queue/groups/{group_id}/decide", follow_redirects=True, data={
        "item": items, "verb": "reject", "reason": "other", "note": "paid campaign", "csrf_token": csrf_of(page.text),
    })
    assert "Rejected: 200 comments of the group." in response.text
    assert {state(i)[0] for i in ids} == {"rejected"}
    assert state(lone)[0] == "pending"
    rows = _audit_rows(query, ids)
    assert len(rows) == 200
    assert all(r["group_id"] == group_id and r["group_decision"] is True and r["group_size"] == 200 for r in rows)
    assert "data-group=" not in client.get("/queue/groups").text  # nothing of it waits any more


def test_a_member_decided_meanwhile_is_left_alone_and_the_rest_decided(as_role, place, group_of, state, query):
    ids = [place(CAMPAIGN.format(n=n), author=f"Reader {n}") for n in range(5)]
    group_id = group_of(ids)
    client = as_role("moderator")
    page = client.get(f"/queue/groups/{group_id}")
    # Someone approves the first member after the page was drawn.
    token = csrf_of(page.text)
    client.post("/queue/decide", data={"item": [f"{ids[0]}@pending:review:1"], "verb": "approve",
                                       "csrf_token": token})
    response = client.post(f"/queue/groups/{group_id}/decide", follow_redirects=True, data={
        "item": [f"{i}@pending:review:1" for i in ids], "verb": "approve", "csrf_token": token})
    assert "Approved: 4 comments of the group." in response.text
    assert "1 comment (" in response.text
    assert [state(i)[0] for i in ids] == ["published"] * 5
    assert query(lambda s: _group_rows(s, ids)) == 4


def _group_rows(session, ids):
    from moderation.db.models import AuditLog

    details = session.scalars(sa.select(AuditLog.detail).where(AuditLog.entity_id.in_(ids),
                                                              AuditLog.action == "comment.approve"))
    return sum(1 for d in details if d.get("group_decision"))


def test_comments_outside_the_group_are_refused(as_role, place, group_of, state):
    ids = [place(CAMPAIGN.format(n=n), author=f"Reader {n}") for n in range(3)]
    stranger = place("Excellent reporting on the water shortage, please follow up next month.")
    group_id = group_of(ids)
    client = as_role("moderator")
    page = client.get(f"/queue/groups/{group_id}")
    response = client.post(f"/queue/groups/{group_id}/decide", follow_redirects=True, data={
        "item": [f"{stranger}@pending:review:1", f"{ids[0]}@pending:review:1"], "verb": "approve",
        "csrf_token": csrf_of(page.text)})
    assert "This comment is not in the group." in response.text
    assert state(stranger)[0] == "pending"
    assert state(ids[0])[0] == "published"


def test_an_unknown_group_is_not_found(as_role):
    assert as_role("moderator").get("/queue/groups/999").status_code == 404
