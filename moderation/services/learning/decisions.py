"""Moderator decisions read as labels: what each one says, clause by clause, about the text the moderator saw.

A rejection (or a take-down) for a guideline clause is a 1 for that clause and says nothing about the others; an
approval is a 0 for every clause; an edit-and-approve, a rejection for "other" and an escalation say no clause
(an escalation's legal outcome is the legal reviewer's own decision, read the same way). Decisions are read in
batches by id, so a site's whole history is read in flat memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.enums import CommentStatus, DecisionAction, Queue
from moderation.db.models import Comment, CommentRevision, Decision, Score, Site, User
from moderation.enums import Action
from moderation.policy.model import Policy
from moderation.services.learning.chunks import IdRange

#: The decisions that are labels: a moderator's choices and the site's editors' take-downs.
MODERATOR_ACTIONS = (DecisionAction.APPROVE, DecisionAction.REJECT, DecisionAction.EDIT_APPROVE, DecisionAction.ESCALATE)
REMOVALS = (DecisionAction.REJECT, DecisionAction.TAKEDOWN)
BATCH = 500


@dataclass(frozen=True)
class DecisionFilter:
    """Which decisions to read: one site's (by name) or all, from a time on."""

    site: str | None = None
    since: datetime | None = None


@dataclass(frozen=True)
class LabelledDecision:
    """One decision as a label on the text the moderator saw, with what the policy had said about that text."""

    decision_id: int
    comment_id: int
    site: str
    action: DecisionAction
    reason: str
    #: The moderator's role, or "site" for the site's editors (take-downs through the API).
    role: str
    decided_at: datetime
    from_queue: Queue | None
    from_status: CommentStatus | None
    text: str
    language: str | None
    #: Clause id → 1 (breaks it), 0 (does not), None (the decision does not say), over the site policy's clauses.
    clauses: dict[str, int | None]
    #: What the policy said about the text when it was decided: its action (None: not scored) and the clauses
    #: that held or rejected it.
    policy_action: str | None
    held_by: tuple[str, ...]
    #: The policy's automatic decision on the comment before this one (publish, hold, reject …), if any.
    policy_decision: DecisionAction | None
    #: For an escalation: the legal reviewer's later decision (approve or reject), None while it waits.
    legal_outcome: DecisionAction | None = None
    #: The model's label scores of the text, as stored (None: not scored).
    scores: dict[str, float] | None = None

    @property
    def removed(self) -> bool:
        """Whether the decision took the text off the site or kept it off."""
        return self.action in REMOVALS

    @property
    def missed(self) -> bool:
        """A removal of a comment the policy had published (found through reports or the spot-check queue)."""
        return self.removed and self.policy_decision is DecisionAction.PUBLISH


def clause_labels(action: DecisionAction, reason: str, clause_ids: tuple[str, ...]) -> dict[str, int | None]:
    """What a decision says about each clause (see the module's docstring)."""
    if action is DecisionAction.APPROVE:
        return dict.fromkeys(clause_ids, 0)
    labels: dict[str, int | None] = dict.fromkeys(clause_ids, None)
    if action in REMOVALS and reason in labels:
        labels[reason] = 1
    return labels


def _query(flt: DecisionFilter) -> sa.Select[tuple[Decision, Comment, str, str | None]]:
    human = sa.and_(Decision.actor.startswith("user:"), Decision.action.in_(MODERATOR_ACTIONS))
    query = (
        sa.select(Decision, Comment, Site.name, User.role)
        .join(Comment, Comment.id == Decision.comment_id)
        .join(Site, Site.id == Comment.site_id)
        .outerjoin(User, User.id == Decision.user_id)
        .where(sa.or_(human, Decision.action == DecisionAction.TAKEDOWN))
    )
    if flt.site is not None:
        query = query.where(Site.name == flt.site)
    if flt.since is not None:
        query = query.where(Decision.created_at >= flt.since)
    return query


def labelled_ids(flt: DecisionFilter) -> sa.Select[tuple[int]]:
    """The ids of the decisions that are labels under the filter (to split an export into id ranges)."""
    return _query(flt).with_only_columns(Decision.id)


def site_policy_names(session: Session) -> dict[str, str]:
    """Site name → the name of the policy it is moderated under."""
    return {name: policy for name, policy in session.execute(sa.select(Site.name, Site.policy_name))}


def iter_labelled(
    session: Session, policies: Mapping[str, Policy], flt: DecisionFilter, *, ids: IdRange | None = None,
) -> Iterator[LabelledDecision]:
    """Every decision that is a label (with an id within `ids`, when given), oldest first, read in batches of BATCH
    (a handful of queries a batch)."""
    last_id = 0
    sites = site_policy_names(session)
    query = _query(flt) if ids is None else _query(flt).where(ids.where(Decision.id))
    while True:
        rows = session.execute(query.where(Decision.id > last_id).order_by(Decision.id).limit(BATCH)).all()
        if not rows:
            session.rollback()  # it writes nothing; end the read (SQLite holds its write lock for a whole transaction)
            return
        history = _History.load(session, [comment for _, comment, _, _ in rows])
        for decision, comment, site_name, role in rows:
            policy = policies.get(sites.get(site_name, ""))
            clause_ids = tuple(c.id for c in policy.clauses) if policy else ()
            yield _labelled(history, decision, comment, site_name, role, clause_ids)
        last_id = rows[-1][0].id
        session.expunge_all()  # the identity map must not grow with the history


@dataclass
class _History:
    """What a batch of decisions needs of their comments' histories: scores, revisions, automatic decisions and
    legal reviewers' decisions, each list in id (or revision number) order."""

    scores: dict[int, list[Score]]
    revisions: dict[int, list[tuple[int, str, datetime]]]
    system: dict[int, list[tuple[int, DecisionAction]]]
    legal: dict[int, list[tuple[int, DecisionAction]]]

    @classmethod
    def load(cls, session: Session, comments: list[Comment]) -> _History:
        ids = sorted({c.id for c in comments})
        edited = sorted({c.id for c in comments if c.revision > 1})
        out = cls({}, {}, {}, {})
        for score in session.scalars(sa.select(Score).where(Score.comment_id.in_(ids)).order_by(Score.id)):
            out.scores.setdefault(score.comment_id, []).append(score)
        if edited:
            for cid, number, text, created in session.execute(
                sa.select(CommentRevision.comment_id, CommentRevision.number, CommentRevision.text,
                          CommentRevision.created_at)
                .where(CommentRevision.comment_id.in_(edited)).order_by(CommentRevision.number)
            ):
                out.revisions.setdefault(cid, []).append((number, text, created))
        for did, cid, action, actor in session.execute(
            sa.select(Decision.id, Decision.comment_id, Decision.action, Decision.actor)
            .where(Decision.comment_id.in_(ids),
                   sa.or_(Decision.actor == "system",
                          sa.and_(Decision.actor.startswith("user:"), Decision.from_queue == Queue.LEGAL)))
            .order_by(Decision.id)
        ):
            (out.system if actor == "system" else out.legal).setdefault(cid, []).append((did, action))
        return out


def _labelled(
    history: _History, decision: Decision, comment: Comment, site: str, role: object, clause_ids: tuple[str, ...]
) -> LabelledDecision:
    revision, text = _seen_text(history, decision, comment)
    score = next((s for s in reversed(history.scores.get(comment.id, []))
                  if s.revision == revision and s.created_at <= decision.created_at), None)
    held = tuple(c["clause"] for c in score.clauses if c.get("action") in (Action.REVIEW, Action.REJECT)) if score else ()
    policy_decision = next((a for i, a in reversed(history.system.get(comment.id, [])) if i < decision.id), None)
    legal = None
    if decision.action is DecisionAction.ESCALATE:
        legal = next((a for i, a in history.legal.get(comment.id, []) if i > decision.id), None)
    return LabelledDecision(
        decision_id=decision.id, comment_id=comment.id, site=site, action=decision.action, reason=decision.reason,
        role=str(getattr(role, "value", role)) if role is not None else decision.actor.split(":")[0],
        decided_at=decision.created_at, from_queue=decision.from_queue, from_status=decision.from_status,
        text=text, language=score.language if score and score.language else comment.language,
        clauses=clause_labels(decision.action, decision.reason, clause_ids),
        policy_action=score.action if score else None, held_by=held, policy_decision=policy_decision,
        legal_outcome=legal,
        scores={str(k): float(v) for k, v in score.label_scores.items()} if score else None,
    )


def _seen_text(history: _History, decision: Decision, comment: Comment) -> tuple[int, str]:
    """The revision number and text the decision was taken on: the latest revision at its time (for an edit and
    approve, the one the moderator replaced)."""
    if comment.revision == 1:
        return 1, comment.text
    revisions = [(n, t) for n, t, created in history.revisions.get(comment.id, []) if created <= decision.created_at]
    if decision.action is DecisionAction.EDIT_APPROVE and len(revisions) >= 2:
        return revisions[-2]
    if revisions:
        return revisions[-1]
    return comment.revision, comment.text
