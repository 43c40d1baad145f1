"""Reading a comment's current state: the answer the API gives for it, and look-ups by the site's ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import DecisionAction
from moderation.db.models import Article, Comment, Decision, Score
from moderation.policy.model import Outcome
from moderation.services.errors import NotFoundError


def find_comment(session: Session, site_id: int, external_id: str, *, for_update: bool = False) -> Comment | None:
    """The site's comment with this id, or None; `for_update` locks its row until the transaction ends."""
    query = sa.select(Comment).where(Comment.site_id == site_id, Comment.external_id == external_id)
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def get_comment(session: Session, site_id: int, external_id: str, *, for_update: bool = False) -> Comment:
    """The site's comment with this id; NotFoundError when there is none."""
    comment = find_comment(session, site_id, external_id, for_update=for_update)
    if comment is None:
        raise NotFoundError(f"no comment with external_id {external_id!r}")
    return comment


def find_article(session: Session, site_id: int, external_id: str) -> Article | None:
    """The site's article with this id, or None."""
    return session.scalar(sa.select(Article).where(Article.site_id == site_id, Article.external_id == external_id))


def current_score(session: Session, comment: Comment) -> Score | None:
    """The latest score of the comment's current text, if it has been scored."""
    return session.scalar(
        sa.select(Score).where(Score.comment_id == comment.id, Score.revision == comment.revision)
        .order_by(Score.id.desc()).limit(1)
    )


def read_outcome(score: Score) -> Outcome:
    """A stored score as the outcome it was stored from (its JSON read back through `Outcome.from_dict`)."""
    return Outcome.from_dict({
        "action": score.action, "lane": score.lane, "clauses": score.clauses, "scores": score.label_scores,
        "language": score.language, "holds": score.holds,
        "model": {"name": score.model_name, "version": score.model_version},
        "policy": {"name": score.policy_name, "version": score.policy_version},
    })


def last_decision(session: Session, comment: Comment) -> Decision | None:
    """The most recent decision on the comment."""
    query = sa.select(Decision).where(Decision.comment_id == comment.id).order_by(Decision.id.desc()).limit(1)
    return session.scalar(query)


def last_moderator_action(session: Session, comment: Comment) -> DecisionAction | None:
    """The action of the latest decision a moderator made on the comment, if any."""
    return session.scalar(
        sa.select(Decision.action).where(Decision.comment_id == comment.id, Decision.actor.startswith("user:"))
        .order_by(Decision.id.desc()).limit(1)
    )


def prior_comments(session: Session, comment: Comment) -> int:
    """How many comments the author had sent before this one (for "first N comments" pre-moderation)."""
    query = sa.select(sa.func.count(Comment.id)).where(Comment.author_id == comment.author_id, Comment.id < comment.id)
    return session.scalar(query) or 0


@dataclass(frozen=True)
class Written:
    """The score (None when the text was not scored) and the decision a request has just written for a comment:
    its answer is built from them rather than read back."""

    score: Score | None
    decision: Decision


def comment_result(session: Session, comment: Comment) -> dict[str, Any]:
    """The answer for a submitted or edited comment: where it stands and why."""
    return result_of(comment, current_score(session, comment), last_decision(session, comment))


def result_of(comment: Comment, score: Score | None, decision: Decision | None) -> dict[str, Any]:
    """The answer for a comment given its current score and latest decision (no query)."""
    outcome = read_outcome(score) if score is not None else None
    policy: Mapping[str, str | None] | None = None
    if outcome is not None:
        policy = outcome.policy.to_dict()
    elif decision is not None and decision.policy_name:
        policy = {"name": decision.policy_name, "version": decision.policy_version}
    return {
        "id": comment.id,
        "external_id": comment.external_id,
        "status": comment.status.value,
        "queue": comment.queue.value if comment.queue else None,
        "hidden": comment.hidden,
        "reason": decision.reason if decision else "",
        "reader_message": decision.reader_message if decision else None,
        "revision": comment.revision,
        "language": comment.language,
        "clauses": [c.to_dict() for c in outcome.clauses] if outcome else [],
        "scores": dict(outcome.scores) if outcome else {},
        "model": outcome.model.to_dict() if outcome else None,
        "policy": policy,
    }


def describe_comment(session: Session, comment: Comment, written: Written | None = None) -> dict[str, Any]:
    """`comment_result`, read in a transaction of its own; built without a query from `written` when the request
    has just written the comment's score and decision."""
    if written is not None:
        return result_of(comment, written.score, written.decision)
    try:
        return comment_result(session, comment)
    finally:
        session.commit()


def read_comment(session: Session, site_id: int, external_id: str) -> dict[str, Any]:
    """The site's comment in full (`comment_detail`); NotFoundError when there is none."""
    try:
        return comment_detail(session, get_comment(session, site_id, external_id))
    finally:
        session.commit()


def comment_detail(session: Session, comment: Comment) -> dict[str, Any]:
    """The full record for the site: the result plus text, article, author, reports and decision history."""
    decisions = session.scalars(sa.select(Decision).where(Decision.comment_id == comment.id).order_by(Decision.id))
    return {
        **comment_result(session, comment),
        "text": comment.text,
        "article_external_id": comment.article.external_id,
        "author": {"external_id": comment.author.external_id, "display_name": comment.author.display_name},
        "parent_external_id": comment.parent.external_id if comment.parent else None,
        "report_count": comment.report_count,
        "created_at": comment.created_at,
        "updated_at": comment.updated_at,
        "decisions": [
            {
                "id": d.id, "action": d.action.value, "actor": d.actor, "reason": d.reason,
                "reader_message": d.reader_message,
                "from_status": d.from_status.value if d.from_status else None, "to_status": d.to_status.value,
                "queue": d.to_queue.value if d.to_queue else None,
                "policy": {"name": d.policy_name, "version": d.policy_version} if d.policy_name else None,
                "model": {"name": d.model_name, "version": d.model_version} if d.model_name else None,
                "created_at": d.created_at,
            }
            for d in decisions
        ],
    }
