"""The text a reader sees in a comment sent as HTML (Coral sends HTML by default; Perspective allows a TextEntry of
type HTML): shared by the Perspective and Coral drop-ins."""

from __future__ import annotations

from html.parser import HTMLParser

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
