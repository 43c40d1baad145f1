"""Stored outcomes read back as the typed outcome they were stored from."""

from __future__ import annotations

from moderation.detectors.base import Span
from moderation.enums import Action, ClauseKind, Lane
from moderation.policy.model import ClauseResult, Named, Outcome

OUTCOME = Outcome(
    action=Action.REVIEW,
    lane=Lane.LEGAL,
    clauses=(
        ClauseResult("defamatory", Action.REVIEW, 0.8125, "An allegation.", (Span(4, 9, "fraud"),), ("defamation",)),
        ClauseResult("outside_links", Action.REVIEW, 1.0, "A link.", (), ("links",), ClauseKind.CHECK),
    ),
    scores={"toxicity": 0.25, "insult": 0.0625},
    language="en",
    model=Named("bundled-minilm", "1.0"),
    policy=Named("default", "2026.1"),
    holds=("first_comments",),
)


def test_an_outcome_reads_back_as_it_was_stored():
    assert Outcome.from_dict(OUTCOME.to_dict()) == OUTCOME


def test_a_published_outcome_has_no_lane():
    published = Outcome(Action.PUBLISH, None, (), {}, "hi-latn", Named("m", "1"), Named("p", "2"))
    assert Outcome.from_dict(published.to_dict()) == published


def test_a_clause_stored_before_clauses_had_a_kind_is_a_harm():
    stored = {"clause": "obscene", "action": "reject", "score": 0.9, "reason": "", "spans": [], "signals": []}
    assert ClauseResult.from_dict(stored) == ClauseResult("obscene", Action.REJECT, 0.9, "")
