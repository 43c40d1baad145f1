"""Article endpoints: the renderable comment list (paged, filtered) and per-article settings."""

from __future__ import annotations

from tests.api.conftest import assert_problem, comment_body

ABUSIVE = "You are a fucking idiot and a piece of shit"


def _seed(client, auth, count=5):
    for i in range(count):
        client.post("/api/v1/comments", json=comment_body(f"ok{i}", f"Good point number {i}."), headers=auth)
    client.post("/api/v1/comments", json=comment_body("bad", ABUSIVE), headers=auth)


def test_published_filter_gives_what_the_site_may_render(client, auth):
    _seed(client, auth)
    body = client.get("/api/v1/articles/a1/comments?status=published", headers=auth).get_json()
    assert body["total"] == 5 and [c["external_id"] for c in body["items"]] == [f"ok{i}" for i in range(5)]
    everything = client.get("/api/v1/articles/a1/comments", headers=auth).get_json()
    assert everything["total"] == 6
    rejected = client.get("/api/v1/articles/a1/comments?status=rejected", headers=auth).get_json()
    assert [c["external_id"] for c in rejected["items"]] == ["bad"]


def test_pages(client, auth):
    _seed(client, auth)
    page = client.get("/api/v1/articles/a1/comments?status=published&per_page=2&page=3", headers=auth).get_json()
    assert (page["page"], page["per_page"], page["total"]) == (3, 2, 5)
    assert [c["external_id"] for c in page["items"]] == ["ok4"]


def test_hidden_reported_comments_are_not_rendered(client, auth):
    _seed(client, auth, count=1)
    for reader in ("r1", "r2", "r3"):
        client.post("/api/v1/comments/ok0/reports", json={"reason": "abuse", "reporter_external_id": reader},
                    headers=auth)
    body = client.get("/api/v1/articles/a1/comments?status=published", headers=auth).get_json()
    assert body["items"] == []


def test_unknown_article_is_404(client, auth):
    assert_problem(client.get("/api/v1/articles/none/comments", headers=auth), 404)
    assert_problem(client.patch("/api/v1/articles/none", json={"comments_closed": True}, headers=auth), 404)


def test_closing_comments_refuses_new_ones_with_409(client, auth):
    _seed(client, auth, count=1)
    response = client.patch("/api/v1/articles/a1", json={"comments_closed": True}, headers=auth)
    assert response.status_code == 200 and response.get_json()["comments_closed"] is True
    body = assert_problem(client.post("/api/v1/comments", json=comment_body("late"), headers=auth), 409)
    assert "closed" in body["detail"]


def test_premoderating_an_article_holds_its_new_comments(client, auth):
    _seed(client, auth, count=1)
    client.patch("/api/v1/articles/a1", json={"premoderate_all": True}, headers=auth)
    body = client.post("/api/v1/comments", json=comment_body("held"), headers=auth).get_json()
    assert (body["status"], body["queue"]) == ("pending", "review")


def test_patch_needs_known_settings(client, auth):
    _seed(client, auth, count=1)
    assert_problem(client.patch("/api/v1/articles/a1", json={}, headers=auth), 422)
    assert_problem(client.patch("/api/v1/articles/a1", json={"locked": True}, headers=auth), 422)
    assert_problem(client.patch("/api/v1/articles/a1", json={"comments_closed": "maybe"}, headers=auth), 422)
    for not_a_boolean in ("yes", "true", 1):  # read as a choice, these would close comments by accident
        assert_problem(client.patch("/api/v1/articles/a1", json={"comments_closed": not_a_boolean}, headers=auth), 422)


def test_sites_cannot_see_each_others_comments(client, auth, app, make_site):
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    _seed(client, auth, count=1)
    make_site(name="Other Times", domains=("othertimes.in",))
    with app.app_context():
        session = database().sessions()
        other = {"Authorization": f"Bearer {create_api_key(session, 'Other Times')}"}
        session.close()
    assert_problem(client.get("/api/v1/comments/ok0", headers=other), 404)
    assert_problem(client.get("/api/v1/articles/a1/comments", headers=other), 404)
    # the same external id is a different comment on another site
    assert client.post("/api/v1/comments", json=comment_body("ok0"), headers=other).status_code == 201
