"""The spot check ("Published"): a sample of the comments the policy published that no moderator has looked at,
those nearest a threshold first, so moderators find what the policy lets through. A rejection there takes the
comment down and counts as a miss of the clause it names (`services.learning.agreement`); an approval confirms it
and takes it off the sample."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from moderation.db.enums import CommentStatus, DecisionAction
from moderation.db.models import Article, Comment, Decision, Score, Site
from moderation.policy.model import Policy

#: The most recent auto-published comments the sample is drawn from, so the page stays cheap on any history.
WINDOW = 2000
SAMPLE = 50


@dataclass(frozen=True)
class SpotCheckRow:
    """One published comment and how near it came to being held: the closest label, its score and threshold."""

    id: int
    text: str
    article_title: str
    site: str
    created_at: datetime
    clause: str | None
    label: str | None
    score: float
    threshold: float | None

    @property
    def margin(self) -> float:
        """How far below its nearest threshold the comment scored (1.0 when no label of the policy applies)."""
        return self.threshold - self.score if self.threshold is not None else 1.0


def nearest_threshold(policy: Policy | None, scores: Mapping[str, float]) -> tuple[str | None, str | None, float, float | None]:
    """(clause, label, score, threshold) of the label that came closest to holding the comment."""
    best: tuple[str | None, str | None, float, float | None] = (None, None, 0.0, None)
    if policy is None:
        return best
    scaled = policy.scale(scores)
    for clause in policy.clauses:
        for ls in clause.labels:
            bands = [t for t in (ls.review, ls.reject) if t is not None]
            if ls.label not in scaled or not bands:
                continue
            score, threshold = scaled[ls.label], min(bands)
            if best[3] is None or threshold - score < best[3] - best[2]:
                best = (clause.id, ls.label, score, threshold)
    return best


def auto_published() -> sa.ColumnElement[bool]:
    """Published, in no queue, and the latest decision on it is the policy's own."""
    latest = aliased(Decision)
    last_actor = (sa.select(latest.actor).where(latest.comment_id == Comment.id).order_by(latest.id.desc()).limit(1)
                  .correlate(Comment).scalar_subquery())
    return sa.and_(Comment.status == CommentStatus.PUBLISHED, Comment.queue.is_(None), last_actor == "system")


def spot_check_sample(session: Session, policies: Mapping[str, Policy], *, size: int = SAMPLE,
                      window: int = WINDOW) -> list[SpotCheckRow]:
    """The `size` comments nearest a threshold among the `window` most recently published by the policy."""
    latest_score = (sa.select(sa.func.max(Score.id)).where(Score.comment_id == Comment.id,
                                                           Score.revision == Comment.revision)
                    .correlate(Comment).scalar_subquery())
    recent = (sa.select(Comment.id).where(auto_published()).order_by(Comment.created_at.desc(), Comment.id.desc())
              .limit(window))
    rows = session.execute(
        sa.select(Comment.id, Comment.text, Article.title, Site.name, Site.policy_name, Comment.created_at,
                  Score.label_scores)
        .join(Article, Article.id == Comment.article_id)
        .join(Site, Site.id == Comment.site_id)
        .join(Score, Score.id == latest_score)
        .where(Comment.id.in_(recent.scalar_subquery()))
    ).all()
    out = []
    for cid, text, title, site, policy_name, created, scores in rows:
        clause, label, score, threshold = nearest_threshold(policies.get(policy_name),
                                                            {str(k): float(v) for k, v in (scores or {}).items()})
        out.append(SpotCheckRow(cid, text, title, site, created, clause, label, score, threshold))
    out.sort(key=lambda r: (r.margin, -r.created_at.timestamp(), -r.id))
    return out[:size]


def confirms_publication(session: Session, comment: Comment) -> bool:
    """Whether approving the comment confirms the policy's publication (no moderator has decided it since)."""
    if comment.status is not CommentStatus.PUBLISHED or comment.queue is not None:
        return False
    last = session.scalar(sa.select(Decision.action).where(Decision.comment_id == comment.id)
                          .order_by(Decision.id.desc()).limit(1))
    return last is DecisionAction.PUBLISH
