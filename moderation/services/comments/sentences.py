"""Splitting a comment into sentences, with offsets into the original text (evidence and span scores)."""

from __future__ import annotations

import re

from moderation.detectors.base import Span

#: A sentence ends at ., !, ? or the Devanagari danda (। ॥), possibly repeated or followed by closing
#: quotes/brackets, when whitespace follows ("3.5", "e.g.x" and "www.x.in" do not end one); a line break always does.
_BOUNDARY = re.compile(r"(?:[.!?।॥]+[\"'”’)\]]*(?=\s)|\n+)")


def split_sentences(text: str) -> list[Span]:
    """The sentences of `text`, stripped of surrounding whitespace; empty pieces are skipped."""
    pieces: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        _append(pieces, text, start, match.end())
        start = match.end()
    _append(pieces, text, start, len(text))
    return pieces


def group_sentences(text: str, sentences: list[Span], limit: int) -> list[Span]:
    """`sentences` as at most `limit` spans: runs of neighbouring sentences joined (with what lies between them)."""
    if len(sentences) <= limit:
        return sentences
    size = -(-len(sentences) // limit)
    runs = (sentences[i:i + size] for i in range(0, len(sentences), size))
    return [Span(run[0].start, run[-1].end, text[run[0].start:run[-1].end]) for run in runs]


def _append(pieces: list[Span], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        begin = start + len(chunk) - len(chunk.lstrip())
        pieces.append(Span(begin, begin + len(stripped), stripped))
