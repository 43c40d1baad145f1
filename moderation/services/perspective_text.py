"""The comment text of a request: checked as Perspective checks it, and read from HTML when sent as HTML
(Coral sends HTML by default; Perspective allows a TextEntry of type HTML)."""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from moderation.services import perspective_errors as errors

#: Elements that end a line of text, so their sentences do not run together.
_BLOCKS = {"p", "div", "br", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre"}
#: Elements whose content is never shown to readers.
_HIDDEN = {"script", "style", "template"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "a":
            # Keep the link target: the outside-links clause must see where a link goes, not just its words.
            href = dict(attrs).get("href")
            if href:
                self.parts.append(f" {href} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text a reader sees in `html` (entities decoded, blocks on their own lines, link targets kept)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = ("".join(collector.parts)).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


#: Perspective refuses comments over 20 KB of UTF-8.
MAX_TEXT_BYTES = 20_480


def comment_text(comment: Mapping[str, Any] | None) -> str:
    """The text to score from a TextEntry, refused as Perspective refuses it (empty or over 20 KB)."""
    comment = comment or {}
    text = str(comment.get("text") or "")
    if comment.get("type") == "HTML":
        text = html_to_text(text)
    if not text.strip():
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
