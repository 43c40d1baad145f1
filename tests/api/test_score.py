"""Preview scoring: up to 100 texts, outcomes in order, nothing stored."""

from __future__ import annotations

import sqlalchemy as sa

from moderation.db.models import Comment
from tests.api.conftest import assert_problem


def test_scores_texts_in_order_without_storing(client, auth, db):
    texts = ["Lovely article.", "You are a fucking idiot and a piece of shit", "Read https://spam.example.com/x"]
    body = client.post("/api/v1/score", json={"texts": texts}, headers=auth).get_json()
    assert [r["action"] for r in body["results"]] == ["publish", "reject", "review"]
    assert body["results"][2]["clauses"][0]["clause"] == "outside_links"
    assert db.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_the_sites_own_domains_are_allowed(client, auth):
    body = client.post("/api/v1/score", json={"texts": ["See https://dailychronicle.in/explainer"]},
                       headers=auth).get_json()
    assert body["results"][0]["action"] == "publish"


def test_one_hundred_texts_at_most(client, auth):
    assert client.post("/api/v1/score", json={"texts": ["ok"] * 100}, headers=auth).status_code == 200
    assert "texts" in assert_problem(client.post("/api/v1/score", json={"texts": ["ok"] * 101}, headers=auth),
                                     422)["errors"]["json"]
    assert_problem(client.post("/api/v1/score", json={"texts": []}, headers=auth), 422)
    errors = assert_problem(client.post("/api/v1/score", json={"texts": ["fine", "  "]}, headers=auth), 422)
    assert "1" in errors["errors"]["json"]["texts"]


def test_scoring_unavailable_is_503(client, auth, broken_scorer):
    assert_problem(client.post("/api/v1/score", json={"texts": ["hello"]}, headers=auth), 503)


def test_larger_previews_get_a_longer_deadline_within_bounds():
    from moderation.services.comments.preview import preview_deadline

    assert [preview_deadline(10.0, n) for n in (1, 32, 33, 100, 1000)] == [10.0, 10.0, 20.0, 40.0, 40.0]
