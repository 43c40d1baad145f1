"""Helpers for driving the API through the test client."""

from __future__ import annotations

from typing import Any

import pytest


def comment_body(external_id: str = "c1", text: str = "Thoughtful piece on the monsoon session, thank you.",
                 **extra: Any) -> dict[str, Any]:
    return {
        "external_id": external_id,
        "text": text,
        "article": {"external_id": "a1", "url": "https://dailychronicle.in/politics/a1", "title": "Monsoon session"},
        "author": {"external_id": "u1", "display_name": "Priya Sharma"},
        **extra,
    }


@pytest.fixture
def post_comment(client, auth):
    def post(body: dict[str, Any] | None = None, **kwargs: Any):
        return client.post("/api/v1/comments", json=body or comment_body(**kwargs), headers=auth)

    return post


def assert_problem(response, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem document with this status; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"]
    return body
