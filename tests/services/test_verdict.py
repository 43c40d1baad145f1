"""Where a comment goes, from the outcome and the pre-moderation settings (no database, no model)."""

from __future__ import annotations

import pytest

from moderation.db.enums import AuthorStatus, CommentStatus, Queue
from moderation.enums import Action, Lane
from moderation.policy.model import ClauseResult, Moderation, Named, Outcome, Policy
from moderation.services.comments.verdict import NOT_SCORED, decide, has_link

POLICY = Policy(name="p", version="1", description="", clauses=())


def _outcome(action: Action, lane: Lane | None = None) -> Outcome:
    return Outcome(action=action, lane=lane, clauses=(), scores={}, language="en", model=Named("m", "1"),
                   policy=Named("p", "1"))


@pytest.mark.parametrize(("outcome", "author", "prior", "article", "settings", "expected"), [
    (_outcome(Action.PUBLISH), AuthorStatus.NORMAL, 0, False, Moderation(), (CommentStatus.PUBLISHED, None)),
    (None, AuthorStatus.NORMAL, 0, False, Moderation(), (CommentStatus.PENDING, Queue.REVIEW)),
    (None, AuthorStatus.BANNED, 0, False, Moderation(), (CommentStatus.REJECTED, None)),
    (_outcome(Action.REVIEW, Lane.LEGAL), AuthorStatus.NORMAL, 5, False, Moderation(),
     (CommentStatus.PENDING, Queue.LEGAL)),
    (_outcome(Action.REJECT), AuthorStatus.PREMODERATED, 5, False, Moderation(), (CommentStatus.REJECTED, None)),
    (_outcome(Action.PUBLISH), AuthorStatus.PREMODERATED, 5, False, Moderation(),
     (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.PUBLISH), AuthorStatus.NORMAL, 5, True, Moderation(), (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.PUBLISH), AuthorStatus.NORMAL, 1, False, Moderation(premoderate_first_comments=2),
     (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.PUBLISH), AuthorStatus.NORMAL, 2, False, Moderation(premoderate_first_comments=2),
     (CommentStatus.PUBLISHED, None)),
])
def test_decide(outcome, author, prior, article, settings, expected):
    policy = Policy(name="p", version="1", description="", clauses=(), moderation=settings)
    verdict = decide(outcome, policy, text="hello", author_status=author, author_prior_comments=prior,
                     article_premoderated=article)
    assert (verdict.status, verdict.queue) == expected


@pytest.mark.parametrize(("outcome", "moderator_action", "expected"), [
    (_outcome(Action.PUBLISH), "approve", (CommentStatus.PUBLISHED, None)),
    (_outcome(Action.PUBLISH), "reject", (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.PUBLISH), "edit_approve", (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.PUBLISH), "escalate", (CommentStatus.PENDING, Queue.LEGAL)),
    (_outcome(Action.REVIEW), "escalate", (CommentStatus.PENDING, Queue.LEGAL)),
    (_outcome(Action.REVIEW), "reject", (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.REJECT), "escalate", (CommentStatus.REJECTED, None)),
    (None, "escalate", (CommentStatus.PENDING, Queue.REVIEW)),  # not scored: held as such, decided by rescore
])
def test_a_new_text_after_a_moderators_decision(outcome, moderator_action, expected):
    verdict = decide(outcome, POLICY, text="x", author_status=AuthorStatus.NORMAL, author_prior_comments=5,
                     article_premoderated=False, moderator_action=moderator_action)
    assert (verdict.status, verdict.queue) == expected


def test_unscored_comments_are_held_with_the_not_scored_reason():
    assert decide(None, POLICY, text="x", author_status=AuthorStatus.NORMAL, author_prior_comments=0,
                  article_premoderated=False).reason == NOT_SCORED


def test_the_reasons_of_the_deciding_clauses_read_as_sentences():
    clauses = (ClauseResult("outside_links", Action.REVIEW, 1.0, "Links are checked by a moderator."),
               ClauseResult("personal_attack", Action.REVIEW, 0.8, " Insults another reader "),
               ClauseResult("inflammatory", Action.PUBLISH, 0.2, "Not this one."))
    outcome = Outcome(action=Action.REVIEW, lane=None, clauses=clauses, scores={}, language="en",
                      model=Named("m", "1"), policy=Named("p", "1"))
    verdict = decide(outcome, POLICY, text="x", author_status=AuthorStatus.NORMAL, author_prior_comments=0,
                     article_premoderated=False)
    assert verdict.reason == "Links are checked by a moderator. Insults another reader."


@pytest.mark.parametrize(("text", "expected"), [
    ("see https://example.com/a", True), ("www.example.in", True), ("visit example.co.in today", True),
    ("no links here. Really.", False), ("e.g. this", False), ("3.14 is pi", False),
])
def test_has_link(text, expected):
    assert has_link(text) is expected
