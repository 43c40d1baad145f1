"""Fixtures for calling the use cases directly: a site, fixed scores per text, the policy, a comment factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from moderation.services.comments.inputs import ArticleInput, AuthorInput, CommentInput

ABUSIVE = "You are a fucking idiot and a piece of shit"
INSULT = "You are an idiot"
DEFAMATORY = "The minister is a thief who stole crores from the treasury"
FRIENDLY = "Thoughtful piece on the monsoon session, thank you."


@pytest.fixture
def site(make_site: Callable[..., Any]) -> Any:
    return make_site(webhook_url="http://127.0.0.1:9/hook")


@pytest.fixture
def scorer(fixed_scorer: Any) -> Any:
    """The use cases store and route what a scorer says; which scores a text gets is tests/scoring's business."""
    return fixed_scorer


@pytest.fixture
def policy(app: Any) -> Any:
    return app.extensions["moderation"].policies["default"]


def comment_input(external_id: str = "c1", text: str = FRIENDLY, *, article: str = "a1", author: str = "u1",
                  parent: str | None = None) -> CommentInput:
    return CommentInput(
        external_id=external_id, text=text,
        article=ArticleInput(external_id=article, url=f"https://dailychronicle.in/{article}", title="Budget 2026"),
        author=AuthorInput(external_id=author, display_name="Priya Sharma"), parent_external_id=parent,
    )


@pytest.fixture
def submit(db: Any, scorer: Any, policy: Any, site: Any) -> Callable[..., Any]:
    """Submit a comment through the service (keyword overrides: scorer, policy, timeout_s)."""
    from moderation.services.comments.submit import submit_comment

    def run(data: CommentInput | None = None, **kwargs: Any) -> Any:
        return submit_comment(db, kwargs.get("scorer", scorer), kwargs.get("policy", policy), site,
                              data or comment_input(), timeout_s=kwargs.get("timeout_s", 30.0))

    return run
