"""The author drawer: the whole record across queues, notes, timed suspensions and bans with a reason and a
confirmation, rejecting the waiting comments too, and finding a commenter by site id or name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.queue.conftest import csrf_of


def _author_id(query, name):
    from moderation.db.models import Author

    return query(lambda s: s.scalar(sa.select(Author.id).where(Author.display_name == name)))


def _submit(app, text, external_id):
    """A new comment from the troll, through the real submit service."""
    from moderation.db.models import Site
    from moderation.extensions import database, get_policy, get_scorer
    from moderation.services.comments.inputs import ArticleInput, AuthorInput, CommentInput
    from moderation.services.comments.submit import submit_comment

    with app.app_context():
        session = database().sessions()
        site = session.scalar(sa.select(Site))
        data = CommentInput(
            external_id,
            text,
            ArticleInput("a-1", "https://dailychronicle.in/x", "X"),
            AuthorInput("u-Troll Account", "Troll Account"),
        )
        status = submit_comment(session, get_scorer(), get_policy(), site, data, timeout_s=30).comment.status.value
        session.close()
    return status


def test_the_drawer_shows_the_whole_record_across_queues(as_role, place, query):
    published = place("An old fair comment", author="Troll Account", status="published", queue=None)
    rejected = place("A rejected one", author="Troll Account", status="rejected", queue=None)
    waiting = place("Still waiting", author="Troll Account", reports=2)
    decided = place("Approved by a moderator", author="Troll Account")
    author_id = _author_id(query, "Troll Account")
    client = as_role("moderator")
    token = csrf_of(client.get("/queue/q/pending").text)
    client.post("/queue/decide", data={"csrf_token": token, "item": f"{decided}@pending:review:1", "verb": "approve"})
    page = client.get(f"/queue/authors/{author_id}").text
    for cid, queue in ((published, "approved"), (rejected, "rejected"), (waiting, "pending")):
        item = page[page.index(f'data-comment="{cid}"') :]
        assert f'<span class="badge">{queue}</span>' in item[:200]
    event = page[page.index('data-kind="decision"') :]
    assert f"comment {decided}</a>:" in event[:600] and "approve → published" in event[:600]
    assert "Also reject their 1 waiting comment" in page


def test_a_note_is_kept_for_the_next_moderator(as_role, place, query, accounts):
    place("Hello", author="Troll Account")
    author_id = _author_id(query, "Troll Account")
    priya, meera = as_role("moderator"), as_role("admin")
    page = priya.get(f"/queue/authors/{author_id}").text
    priya.post(f"/queue/authors/{author_id}/notes", data={"csrf_token": csrf_of(page), "text": "Same person as @x"})
    seen = meera.get(f"/queue/authors/{author_id}").text
    assert "Same person as @x" in seen and accounts["moderator"] in seen
    refused = priya.post(
        f"/queue/authors/{author_id}/notes", data={"csrf_token": csrf_of(page), "text": ""}, follow_redirects=True
    )
    assert "The note was not kept" in refused.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"restriction": "ban", "confirm": "on"}, "Give the reason"),
        ({"restriction": "ban", "reason": "spam"}, "Tick the confirmation"),
    ],
)
def test_a_ban_needs_a_reason_and_a_confirmation(as_role, place, query, data, message):
    from moderation.db.models import Author

    place("Hello", author="Troll Account")
    author_id = _author_id(query, "Troll Account")
    client = as_role("moderator")
    page = client.get(f"/queue/authors/{author_id}").text
    response = client.post(
        f"/queue/authors/{author_id}/restrict", data={"csrf_token": csrf_of(page), **data}, follow_redirects=True
    )
    assert message in response.text
    assert query(lambda s: s.get(Author, author_id).status.value) == "normal"


def test_a_suspension_rejects_new_comments_until_it_ends_and_can_reject_the_waiting_ones(
    app, as_role, place, query, state
):
    from moderation.db.models import Author

    waiting = [place(f"Waiting {i}", author="Troll Account") for i in range(2)]
    other = place("Someone else's", author="Priya Reader")
    author_id = _author_id(query, "Troll Account")
    client = as_role("moderator")
    page = client.get(f"/queue/authors/{author_id}").text
    response = client.post(
        f"/queue/authors/{author_id}/restrict",
        data={
            "csrf_token": csrf_of(page),
            "restriction": "suspend_7d",
            "reason": "flooding the budget story",
            "confirm": "on",
            "reject_waiting": "on",
        },
        follow_redirects=True,
    )
    assert (
        "Troll Account is suspended for 7 days: new comments are rejected; 2 waiting comments rejected."
        in response.text
    )
    assert [state(c)[0] for c in waiting] == ["rejected", "rejected"] and state(other)[0] == "pending"
    until = query(lambda s: s.get(Author, author_id).suspended_until)
    assert timedelta(days=6, hours=23) < until - datetime.now(UTC) <= timedelta(days=7)
    assert "data-suspended-until" in response.text and "flooding the budget story" in response.text
    assert _submit(app, "A perfectly calm comment.", "c-susp-1") == "rejected"
    # When the suspension has run out, they are treated as before.
    query(
        lambda s: (
            s.execute(sa.update(Author).values(suspended_until=datetime.now(UTC) - timedelta(minutes=1))),
            s.commit(),
        )
    )
    assert _submit(app, "Another calm comment.", "c-susp-2") == "published"


def test_lifting_ends_a_suspension(as_role, place, query):
    from moderation.db.models import Author

    place("Hello", author="Troll Account")
    author_id = _author_id(query, "Troll Account")
    client = as_role("moderator")
    page = client.get(f"/queue/authors/{author_id}").text
    client.post(
        f"/queue/authors/{author_id}/restrict",
        data={"csrf_token": csrf_of(page), "restriction": "suspend_24h", "reason": "cool off", "confirm": "on"},
    )
    page = client.get(f"/queue/authors/{author_id}").text
    assert "data-standing>banned" in page
    client.post(
        f"/queue/authors/{author_id}",
        data={"csrf_token": csrf_of(page), "action": "lift", "back": f"/queue/authors/{author_id}"},
    )
    assert query(lambda s: s.get(Author, author_id).suspended_until) is None


def test_commenters_are_found_by_site_id_or_name_across_the_whole_history(as_role, place, query):
    place("Long ago", author="Troll Account", status="rejected", queue=None, age=timedelta(days=400))
    place("Hello", author="Priya Reader")
    client = as_role("moderator")
    by_name = client.get("/queue/authors?q=troll").text
    assert "Troll Account" in by_name and "Priya Reader" not in by_name
    by_id = client.get("/queue/authors?q=u-Priya Reader").text
    assert "Priya Reader" in by_id and "Troll Account" not in by_id
    assert "No commenter matches" in client.get("/queue/authors?q=nobody-at-all").text
