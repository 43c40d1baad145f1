"""Per-story moderation: what waits on each story, and opening or closing its comments from the queue."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.queue.conftest import csrf_of


def _row(page: str, title: str) -> str:
    start = page.index(title, page.index('<table class="stories"'))
    return page[start : page.index("</tr>", start)]


def test_the_story_list_counts_waiting_legal_and_reported_comments(as_role, place):
    for i in range(3):
        place(f"waiting {i}", article="Budget day")
    place("for the lawyers", article="Budget day", queue="legal")
    place("reported one", article="Budget day", status="published", queue="reported", reports=3)
    place("decided", article="Budget day", status="published", queue=None)
    place("one waiting", article="Monsoon arrives")
    page = as_role("moderator").get("/queue/stories").text
    assert page.index("Budget day") < page.index("Monsoon arrives")  # most waiting first
    budget = _row(page, "Budget day")
    counts = re.findall(r'data-label="(Waiting|Legal review|Reported)"><a [^>]*>(\d+)</a>', budget)
    assert counts == [("Waiting", "3"), ("Legal review", "1"), ("Reported", "1")]
    assert "Close comments" not in budget  # a moderator sees the story, an editor closes it


@pytest.mark.parametrize(("role", "allowed"), [("moderator", False), ("legal", True), ("admin", True)])
def test_editors_and_admins_close_and_open_a_storys_comments(as_role, place, query, role, allowed):
    from moderation.db.models import Article, AuditLog

    place("on the story", article="Election night")
    article_id = query(lambda s: s.scalar(sa.select(Article.id).where(Article.title == "Election night")))
    client = as_role(role)
    token = csrf_of(client.get("/queue/stories").text)
    response = client.post(f"/queue/stories/{article_id}", data={"csrf_token": token, "comments": "close"})
    closed = query(lambda s: s.get(Article, article_id).comments_closed)
    if not allowed:
        assert response.status_code == 403 and closed is False
        return
    assert response.status_code == 303 and closed is True
    page = client.get("/queue/stories").text
    assert "Comments are closed on “Election night”." in page and "Open comments" in _row(page, "Election night")
    client.post(f"/queue/stories/{article_id}", data={"csrf_token": token, "comments": "open"})
    assert query(lambda s: s.get(Article, article_id).comments_closed) is False
    actions = query(lambda s: s.scalars(sa.select(AuditLog.action).where(AuditLog.entity_type == "article")).all())
    assert actions == ["article.close", "article.open"]


def test_a_closed_story_refuses_new_comments_through_the_api(app, as_role, place, query, client):
    from moderation.db.models import Article
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    place("first", article="Closed_story")
    article = query(
        lambda s: s.execute(sa.select(Article.id, Article.external_id).where(Article.title == "Closed_story")).one()
    )
    admin = as_role("admin")
    token = csrf_of(admin.get("/queue/stories").text)
    admin.post(f"/queue/stories/{article.id}", data={"csrf_token": token, "comments": "close"})
    with app.app_context():
        session = database().sessions()
        key = create_api_key(session, "Daily Chronicle")
        session.commit()
        session.close()
    response = client.post(
        "/api/v1/comments",
        json={
            "external_id": "late-1",
            "text": "Too late?",
            "article": {
                "external_id": article.external_id,
                "url": "https://dailychronicle.in/story/1",
                "title": "Closed_story",
            },
            "author": {"external_id": "u-late", "display_name": "Late Reader"},
        },
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 409, response.text
