"""End to end on the real bundled model: a comment goes in through the API and comes out decided by its judgement.

These are the tests a retrained model may move; the API, queue, Perspective and Coral suites run on fixed scores.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import comment_body

pytestmark = pytest.mark.e2e


def _post(client, auth, external_id: str, text: str) -> dict:
    response = client.post("/api/v1/comments", json=comment_body(external_id, text), headers=auth)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_a_friendly_comment_is_published(client, auth):
    body = _post(client, auth, "c1", "Thoughtful piece on the monsoon session, thank you.")
    assert (body["status"], body["queue"], body["clauses"]) == ("published", None, [])
    assert body["model"]["name"] != "fixed"


def test_an_insult_waits_for_a_moderator_with_its_clause(client, auth):
    body = _post(client, auth, "c1", "You are a pathetic idiot. Go away.")
    assert (body["status"], body["queue"]) == ("pending", "review")
    assert "personal_attack" in {c["clause"] for c in body["clauses"]}


def test_a_comment_with_an_outside_link_is_checked_by_a_person(client, auth):
    body = _post(client, auth, "c1", "Good analysis, more at www.othernews.example.com")
    assert (body["status"], body["queue"]) == ("pending", "review")
    assert [c["clause"] for c in body["clauses"]] == ["outside_links"]
