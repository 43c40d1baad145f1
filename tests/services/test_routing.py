"""Where a comment goes, from the outcome and the pre-moderation settings (no database, no model)."""

from __future__ import annotations

import pytest

from moderation.db.enums import AuthorStatus, CommentStatus, DecisionAction, Queue
from moderation.enums import Action, Lane
from moderation.policy.model import ClauseResult, Moderation, Named, Outcome, Policy
from moderation.services.comments.routing import NOT_SCORED, has_link, route

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
def test_route(outcome, author, prior, article, settings, expected):
    policy = Policy(name="p", version="1", description="", clauses=(), moderation=settings)
    routing = route(outcome, policy, text="hello", author_status=author, author_prior_comments=prior,
                    article_premoderated=article)
    assert (routing.status, routing.queue) == expected


@pytest.mark.parametrize(("outcome", "moderator_action", "expected"), [
    (_outcome(Action.PUBLISH), DecisionAction.APPROVE, (CommentStatus.PUBLISHED, None)),
    (_outcome(Action.PUBLISH), DecisionAction.REJECT, (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.PUBLISH), DecisionAction.EDIT_APPROVE, (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.PUBLISH), DecisionAction.ESCALATE, (CommentStatus.PENDING, Queue.LEGAL)),
    (_outcome(Action.REVIEW), DecisionAction.ESCALATE, (CommentStatus.PENDING, Queue.LEGAL)),
    (_outcome(Action.REVIEW), DecisionAction.REJECT, (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.REJECT), DecisionAction.ESCALATE, (CommentStatus.REJECTED, None)),
    (None, DecisionAction.ESCALATE, (CommentStatus.PENDING, Queue.REVIEW)),  # not scored: held as such
])
def test_a_new_text_after_a_moderators_decision(outcome, moderator_action, expected):
    routing = route(outcome, POLICY, text="x", author_status=AuthorStatus.NORMAL, author_prior_comments=5,
                    article_premoderated=False, moderator_action=moderator_action)
    assert (routing.status, routing.queue) == expected


def test_unscored_comments_are_held_as_not_scored():
    routing = route(None, POLICY, text="x", author_status=AuthorStatus.NORMAL, author_prior_comments=0,
                    article_premoderated=False)
    assert (routing.action, routing.reason) == (DecisionAction.HOLD_UNSCORED, NOT_SCORED)


def test_the_reasons_of_the_deciding_clauses_read_as_sentences():
    clauses = (ClauseResult("outside_links", Action.REVIEW, 1.0, "Links are checked by a moderator."),
               ClauseResult("personal_attack", Action.REVIEW, 0.8, " Insults another reader "),
               ClauseResult("inflammatory", Action.PUBLISH, 0.2, "Not this one."))
    outcome = Outcome(action=Action.REVIEW, lane=None, clauses=clauses, scores={}, language="en",
                      model=Named("m", "1"), policy=Named("p", "1"))
    routing = route(outcome, POLICY, text="x", author_status=AuthorStatus.NORMAL, author_prior_comments=0,
                    article_premoderated=False)
    assert routing.reason == "Links are checked by a moderator. Insults another reader."


@pytest.mark.parametrize(("text", "expected"), [
    ("see https://example.com/a", True), ("www.example.in", True), ("visit example.co.in today", True),
    ("no links here. Really.", False), ("e.g. this", False), ("3.14 is pi", False),
])
def test_has_link(text, expected):
    assert has_link(text) is expected


@pytest.mark.parametrize(("outcome", "size", "group", "expected"), [
    (_outcome(Action.PUBLISH), 0, 50, (CommentStatus.PUBLISHED, None)),  # the signal is off
    (_outcome(Action.PUBLISH), 5, 4, (CommentStatus.PUBLISHED, None)),
    (_outcome(Action.PUBLISH), 5, 5, (CommentStatus.PENDING, Queue.REVIEW)),
    (_outcome(Action.REVIEW, Lane.LEGAL), 5, 9, (CommentStatus.PENDING, Queue.LEGAL)),  # stays in its lane
    (_outcome(Action.REJECT), 5, 9, (CommentStatus.REJECTED, None)),
])
def test_the_coordinated_signal_holds_a_large_group(outcome, size, group, expected):
    from moderation.policy.model import Coordinated

    policy = Policy(name="p", version="1", description="", clauses=(),
                    moderation=Moderation(coordinated=Coordinated(size, 45)))
    routing = route(outcome, policy, text="x", author_status=AuthorStatus.NORMAL, author_prior_comments=3,
                    article_premoderated=False, coordinated=group)
    assert (routing.status, routing.queue) == expected
    if expected == (CommentStatus.PENDING, Queue.REVIEW):
        assert routing.reason == f"coordinated: {group} near-identical comments within 45 min"
