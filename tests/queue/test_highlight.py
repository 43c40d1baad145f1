"""Evidence spans cut the text into pieces that cover it exactly, whatever the spans say."""

from __future__ import annotations

import pytest

from moderation.policy.model import ClauseResult
from moderation.services.queue.highlight import Segment, segments
from tests.queue import conftest


def clause(*args, **kwargs) -> ClauseResult:
    """A fired clause as the queue reads it back from a stored score."""
    return ClauseResult.from_dict(conftest.clause(*args, **kwargs))


def test_spans_split_the_text_and_name_their_clauses():
    text = "you idiot, see http://x.in"
    out = segments(
        text,
        [
            clause("personal_attack", 0.9, spans=((4, 9, "idiot"),)),
            clause("outside_links", 0.8, spans=((15, 26, "http://x.in"),)),
        ],
    )
    assert out == [
        Segment("you "),
        Segment("idiot", ("personal_attack",)),
        Segment(", see "),
        Segment("http://x.in", ("outside_links",)),
    ]


def test_overlapping_spans_list_every_clause():
    text = "abcdef"
    out = segments(
        text, [clause("obscene", 0.9, spans=((0, 4, "abcd"),)), clause("inflammatory", 0.9, spans=((2, 6, "cdef"),))]
    )
    assert out == [
        Segment("ab", ("obscene",)),
        Segment("cd", ("inflammatory", "obscene")),
        Segment("ef", ("inflammatory",)),
    ]


@pytest.mark.parametrize("spans", [((5, 99, "x"),), ((-1, 2, "ab"),), ((3, 3, ""),), ((0, 2, "zz"),)])
def test_spans_that_do_not_fit_the_text_are_ignored(spans):
    assert segments("hello world", [clause("obscene", 0.9, spans=spans)]) == [Segment("hello world")]


def test_devanagari_offsets_are_characters():
    text = "तुम बेवकूफ हो"
    out = segments(text, [clause("personal_attack", 0.9, spans=((4, 10, "बेवकूफ"),))])
    assert "".join(s.text for s in out) == text
    assert out[1] == Segment("बेवकूफ", ("personal_attack",))


def test_a_list_row_excerpt_starts_near_the_evidence_and_marks_what_was_left_out():
    from moderation.services.queue.highlight import Segment, excerpt

    parts = [Segment("a" * 100), Segment("BAD", ("obscene",)), Segment("b" * 300)]
    short = excerpt(parts, width=50, lead=10)
    assert short[0] == Segment("…") and short[-1] == Segment("…")
    assert Segment("BAD", ("obscene",)) in short and sum(len(p.text) for p in short[1:-1]) == 50
    assert excerpt([Segment("short text")]) == (Segment("short text"),)
    assert excerpt([Segment("x" * 300)], width=20) == (Segment("x" * 20), Segment("…"))
