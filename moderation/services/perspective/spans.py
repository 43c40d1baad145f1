"""Span offsets as Perspective reports them (sentences come from services.comments.sentences).

Perspective's `begin`/`end` count UTF-16 code units of the original text (end exclusive), so an emoji
counts two; Python strings count code points. Devanagari is inside the Basic Multilingual Plane, so
only characters past U+FFFF (emoji, some symbols) make the two differ.
"""

from __future__ import annotations


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
