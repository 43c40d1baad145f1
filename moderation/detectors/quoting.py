"""Words in quotation marks: a comment that quotes abuse (a court report, a complaint about a word) mentions it
rather than uses it. Straight, curly and guillemet quotes; an apostrophe inside a word ("she's", "who'll") is
not a quotation mark."""

from __future__ import annotations

import re

from moderation.detectors.base import Span

#: Opening quote at the start of a word (after the text's start, a space, or an opening bracket or dash), the
#: quoted words (one line, up to 120 characters), a closing quote not followed by a letter or digit.
_QUOTED = re.compile(
    r"""(?:^|(?<=[\s(\[{\-–—:]))["'‘“«](?P<inner>[^"'‘’“”«»\n]{1,120}?)["'’”»](?![^\W_])"""
)


def quoted_segments(text: str) -> list[tuple[int, int]]:
    """[start, end) of each run of words inside quotation marks."""
    return [m.span("inner") for m in _QUOTED.finditer(text)]


def all_quoted(text: str, spans: tuple[Span, ...]) -> bool:
    """Whether every span lies inside quotation marks (and there is at least one span)."""
    segments = quoted_segments(text) if spans else []
    return bool(spans) and all(any(a <= s.start and s.end <= b for a, b in segments) for s in spans)
