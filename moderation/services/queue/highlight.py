"""Split a comment's text at its evidence spans so each piece can be shown (escaped) with the clauses it evidences."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from moderation.policy.model import ClauseResult


@dataclass(frozen=True)
class Segment:
    """A run of the text and the clauses whose evidence covers all of it (empty: not evidence)."""

    text: str
    clauses: tuple[str, ...] = ()


def _valid_spans(text: str, clauses: Iterable[ClauseResult]) -> list[tuple[int, int, str]]:
    spans = []
    for clause in clauses:
        for span in clause.spans:
            start, end = span.start, span.end
            # Offsets that fall outside the text, or whose text no longer matches, are ignored rather than trusted.
            if 0 <= start < end <= len(text) and span.text == text[start:end]:
                spans.append((start, end, clause.clause))
    return spans


def segments(text: str, clauses: Sequence[ClauseResult]) -> list[Segment]:
    """The whole text, in order, cut at every span edge; overlapping evidence lists every clause concerned."""
    spans = _valid_spans(text, clauses)
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Segment] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(sorted({c for s, e, c in spans if s <= start and end <= e}))
        if out and out[-1].clauses == covering:
            out[-1] = Segment(out[-1].text + text[start:end], covering)
        else:
            out.append(Segment(text[start:end], covering))
    return out


def excerpt(parts: Sequence[Segment], width: int = 240, lead: int = 40) -> tuple[Segment, ...]:
    """At most `width` characters of the text for a list row, starting a little before the first evidence so the
    highlighted words show even in a long comment; "…" marks what was left out."""
    text_before = 0
    for part in parts:
        if part.clauses:
            break
        text_before += len(part.text)
    else:
        text_before = 0
    start = max(0, text_before - lead) if text_before > lead else 0
    out: list[Segment] = [Segment("…")] if start else []
    position, room = 0, width
    for part in parts:
        begin, end = max(start, position), position + len(part.text)
        position = end
        if end <= start or room <= 0:
            continue
        piece = part.text[begin - (end - len(part.text)) : begin - (end - len(part.text)) + room]
        room -= len(piece)
        out.append(Segment(piece, part.clauses))
    if position > start + width:
        out.append(Segment("…"))
    return tuple(out)
