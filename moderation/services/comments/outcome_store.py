"""Storing a scoring outcome for a comment and deciding it: shared by submit, edit and rescore."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sqlalchemy.orm import Session

from moderation.db.enums import CommentStatus, DecisionAction
from moderation.db.models import Comment, Decision, Score
from moderation.policy.model import ClauseResult, Named, Outcome, Policy
from moderation.services.comments.comment_state import Written, last_moderator_action, prior_comments
from moderation.services.comments.records import record_decision
from moderation.services.comments.risk import fired_clauses, risk_of
from moderation.services.comments.routing import NOT_SCORED_YET, Routing, route


def store_score(session: Session, comment: Comment, outcome: Outcome) -> Score:
    """Keep the outcome for the comment's current revision, with the model and policy that produced it, and the
    comment's risk from it: the one place an outcome is written, so the risk columns never disagree with it."""
    data = outcome.to_dict()
    score = Score(
        comment=comment, revision=comment.revision,
        model_name=outcome.model.name, model_version=outcome.model.version,
        policy_name=outcome.policy.name, policy_version=outcome.policy.version,
        label_scores=data["scores"], clauses=data["clauses"], holds=data["holds"],
        action=outcome.action.value, lane=outcome.lane.value if outcome.lane else None, language=outcome.language,
    )
    session.add(score)
    # Risk from the clauses as stored (scores rounded), so the queue's order agrees with what its pages read back.
    _set_risk(comment, Outcome.from_dict(data).clauses)
    comment.scored = True
    comment.language = outcome.language
    return score


def _set_risk(comment: Comment, clauses: Iterable[ClauseResult]) -> None:
    """Copy what the queues sort and filter by from the comment's latest score (its clauses)."""
    fired = fired_clauses(clauses)
    comment.risk_rank, comment.risk_score = risk_of(fired)
    comment.fired_clauses = "".join(f" {c}" for c in sorted({f.clause for f in fired})) + " " if fired else ""


def apply_routing(
    session: Session, comment: Comment, routing: Routing, outcome: Outcome | None, policy: Policy,
    *, actor: str = "system", initial: bool = False,
) -> Written:
    """Record the automatic decision for the comment (and its score, when there is one); returns both."""
    score = store_score(session, comment, outcome) if outcome is not None else None
    decision = record_decision(
        session, comment, to_status=routing.status, to_queue=routing.queue, action=routing.action, actor=actor,
        reason=routing.reason, policy=Named(policy.name, policy.version),
        model=outcome.model if outcome is not None else None, initial=initial,
        # A text that passes is shown: an edit that passes takes the comment out of the Reported queue too
        # (record_decision hides every other status).
        hidden=routing.status != CommentStatus.PUBLISHED,
    )
    return Written(score, decision)


def redecide(
    session: Session, comment: Comment, outcome: Outcome | None, policy: Policy, *, deferred: bool = False
) -> Decision:
    """Decide a stored comment's current text again (after an edit, or a rescore) and record it: its author's
    standing, the article's pre-moderation and the latest moderator decision on it all count. `deferred`: the text
    was handed to the scoring workers, so a hold for want of scores reads "not scored yet"."""
    routing = route(outcome, policy, text=comment.text, author_status=comment.author.standing(),
                    author_prior_comments=prior_comments(session, comment),
                    article_premoderated=comment.article.premoderate_all,
                    moderator_action=last_moderator_action(session, comment))
    if deferred and routing.action is DecisionAction.HOLD_UNSCORED:
        routing = dataclasses.replace(routing, reason=NOT_SCORED_YET)
    return apply_routing(session, comment, routing, outcome, policy).decision
