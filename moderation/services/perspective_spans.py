"""Splitting a comment into sentences for span scores, with offsets as Perspective reports them.

Perspective's `begin`/`end` count UTF-16 code units of the original text (end exclusive), so an emoji
counts two; Python strings count code points. Devanagari is inside the Basic Multilingual Plane, so
only characters past U+FFFF (emoji, some symbols) make the two differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A sentence ends at ., !, ? or the Devanagari danda (। ॥), possibly repeated or followed by closing
#: quotes/brackets, when whitespace follows; a line break always ends one.
_BOUNDARY = re.compile(r"(?:[.!?।॥]+[\"'”’)\]]*(?=\s)|\n+)")


@dataclass(frozen=True)
class Sentence:
    """Code points [start, end) of the original text, and those characters."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, stripped of surrounding whitespace; empty pieces are skipped."""
    pieces: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        _append(pieces, text, start, match.end())
        start = match.end()
    _append(pieces, text, start, len(text))
    return pieces


def _append(pieces: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    pieces.append(Sentence(begin, begin + len(stripped), stripped))


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 code-unit offset of code point `index` in `text`."""
    prefix = text[:index]
    return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def code_point_index(text: str, offset: int) -> int:
    """The code-point index at UTF-16 offset `offset` (inverse of `utf16_offset`)."""
    units = 0
    for index, ch in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)
