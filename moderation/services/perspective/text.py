"""The comment text of a request: checked as Perspective checks it, and read from HTML when sent as HTML
(Coral sends HTML by default; Perspective allows a TextEntry of type HTML)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moderation.blank import is_blank
from moderation.services.comments.html_text import html_to_text
from moderation.services.perspective import errors

#: Perspective refuses comments over 20 KB of UTF-8.
MAX_TEXT_BYTES = 20_480


def comment_text(comment: Mapping[str, Any] | None) -> str:
    """The text to score from a TextEntry, refused as Perspective refuses it (empty or over 20 KB)."""
    comment = comment or {}
    text = str(comment.get("text") or "")
    if comment.get("type") == "HTML":
        text = html_to_text(text)
    if is_blank(text):  # nothing a reader could see: zero-width characters alone are empty too
        raise errors.invalid_argument("Comment must be non-empty.")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise errors.invalid_argument("Comment text too long.")
    return text


def check_context(context: Mapping[str, Any] | None) -> None:
    """Perspective allows `entries` or `articleAndParentComment`, not both."""
    if context and context.get("entries") and context.get("article_and_parent_comment"):
        raise errors.invalid_argument(
            "Context must have only one of entries or article_and_parent_comment populated."
        )
