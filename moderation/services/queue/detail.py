"""One comment at a glance for a moderator: evidence, scores, context, history, reports and revisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.models import Comment, CommentRevision, Decision, Score, User
from moderation.enums import Action, ClauseKind
from moderation.errors import ModerationError
from moderation.policy.model import Outcome, Policy
from moderation.services.comments.comment_state import read_outcome
from moderation.services.comments.risk import clause_rank, is_detector, top_signal
from moderation.services.queue.accounts import Moderator
from moderation.services.queue.authors import AuthorHistory, author_history
from moderation.services.queue.claims import ClaimState, active_claim, claim
from moderation.services.queue.highlight import Segment, segments
from moderation.services.queue.lists import Filters, QueueName, place_in_list, queue_of
from moderation.services.queue.permissions import may_decide


class CommentNotFoundError(ModerationError):
    """There is no such comment."""


@dataclass(frozen=True)
class ClauseView:
    """A fired clause: the guideline's title, the model's score and the reason given to the reader."""

    clause: str
    title: str
    action: str
    score: float
    reason: str
    evidence: tuple[str, ...]
    kind: str = ClauseKind.HARM.value
    signals: tuple[str, ...] = ()

    @property
    def signal(self) -> str | None:
        """The signal named beside the clause ("inflammatory · threat")."""
        return top_signal(self.signals)


@dataclass(frozen=True)
class FindingView:
    """A rule detector's finding, shown apart from the model's label scores (its score is a fixed weight)."""

    signal: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """A decision on the comment, automatic or by a person."""

    at: datetime
    who: str
    action: str
    to_status: str
    reason: str
    note: str | None


@dataclass(frozen=True)
class RevisionView:
    """One version of the text; `by_moderator` names who redacted it, if a moderator did."""

    number: int
    text: str
    at: datetime
    by_moderator: str | None


@dataclass(frozen=True)
class CommentView:
    """Everything the comment page shows."""

    id: int
    text: str
    segments: list[Segment]
    status: str
    queue_name: QueueName
    seen: str
    revision: int
    language: str | None
    hidden: bool
    created_at: datetime
    site_name: str
    policy: Policy | None
    clauses: tuple[ClauseView, ...]
    findings: tuple[FindingView, ...]
    label_scores: tuple[tuple[str, float], ...]
    model: str | None
    scored_policy: str | None
    #: The text revision the reasons were found in; older than `revision` when the current text is not scored yet.
    scored_revision: int | None
    article_title: str
    article_url: str | None
    parent: tuple[int, str, str, str] | None  # id, author, status, text
    author: AuthorHistory
    reports: tuple[tuple[datetime, str, str | None], ...]
    revisions: tuple[RevisionView, ...]
    history: tuple[HistoryEntry, ...]
    claim: ClaimState | None
    #: Whether the moderator may claim and decide it (`permissions.may_decide`).
    may_decide: bool
    previous_id: int | None
    next_id: int | None
    #: Where the comment stands (0-based) in the list it was opened from; None when that list no longer holds it.
    position: int | None = None


def safe_url(url: str | None) -> str | None:
    """The article link only when it is http(s); anything else (javascript:, data:) is not linked."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def _clauses(outcome: Outcome | None, policy: Policy | None) -> tuple[ClauseView, ...]:
    titles = {c.id: c.title for c in policy.clauses} if policy else {}
    out = [
        ClauseView(
            c.clause,
            titles.get(c.clause, c.clause.replace("_", " ").capitalize()),
            c.action.value,
            c.score,
            c.reason,
            tuple(s.text for s in c.spans),
            c.kind.value,
            c.signals,
        )
        for c in (outcome.clauses if outcome else ())
        if c.action in (Action.REVIEW, Action.REJECT)
    ]
    return tuple(sorted(out, key=lambda v: (clause_rank(v.kind, v.action, v.signals), v.score), reverse=True))


def _findings(clauses: tuple[ClauseView, ...]) -> tuple[FindingView, ...]:
    """The detector signals among the fired clauses' signals, each with its clause's evidence."""
    out: dict[str, tuple[str, ...]] = {}
    for c in clauses:
        for signal in c.signals:
            if is_detector(signal):
                out[signal] = tuple(dict.fromkeys((*out.get(signal, ()), *c.evidence)))
    return tuple(FindingView(s, e) for s, e in out.items())


def _revisions(session: Session, comment: Comment) -> tuple[RevisionView, ...]:
    rows = session.execute(
        sa.select(CommentRevision, User.email)
        .outerjoin(User, User.id == CommentRevision.editor_id)
        .where(CommentRevision.comment_id == comment.id)
        .order_by(CommentRevision.number)
    )
    return tuple(RevisionView(r.number, r.text, r.created_at, email) for r, email in rows)


def open_comment(
    session: Session,
    policies: Mapping[str, Policy],
    moderator: Moderator,
    comment_id: int,
    claim_minutes: int,
    within: tuple[QueueName, Filters] | None = None,
    *,
    claim_it: bool = True,
) -> CommentView:
    """Claim the comment for the moderator (unless someone else holds it, or not `claim_it`) and gather what the
    page shows.

    Previous and Next follow `within` (the list and filters it was opened from), by default its own queue unfiltered.
    """
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise CommentNotFoundError("There is no such comment.")
    name = queue_of(comment.status, comment.queue)
    decidable = may_decide(moderator, name)
    # Only someone who may decide it claims it; a moderator reading the legal lane leaves it free.
    state = (
        claim(session, comment_id, moderator.id, claim_minutes)
        if decidable and claim_it
        else active_claim(session, comment_id, moderator.id)
    )
    score = session.scalar(sa.select(Score).where(Score.comment_id == comment_id).order_by(Score.id.desc()).limit(1))
    outcome = read_outcome(score) if score is not None else None
    policy = policies.get(comment.site.policy_name)
    # Evidence is highlighted only in the text it was found in.
    evidence = outcome.clauses if outcome is not None and score is not None and score.revision == comment.revision else ()
    history = session.execute(
        sa.select(Decision, User.email)
        .outerjoin(User, User.id == Decision.user_id)
        .where(Decision.comment_id == comment_id)
        .order_by(Decision.id)
    ).all()
    parent = comment.parent
    clauses = _clauses(outcome, policy)
    view = CommentView(
        id=comment.id,
        text=comment.text,
        segments=segments(comment.text, evidence),
        status=comment.status.value,
        queue_name=name,
        seen=f"{comment.status.value}:{comment.queue.value if comment.queue else ''}:{comment.revision}",
        revision=comment.revision,
        language=comment.language,
        hidden=comment.hidden,
        created_at=comment.created_at,
        site_name=comment.site.name,
        policy=policy,
        clauses=clauses,
        findings=_findings(clauses),
        label_scores=tuple(sorted((outcome.scores if outcome else {}).items(), key=lambda kv: -kv[1])),
        model=f"{outcome.model.name} {outcome.model.version}" if outcome else None,
        scored_policy=f"{outcome.policy.name} {outcome.policy.version}" if outcome else None,
        scored_revision=score.revision if score is not None else None,
        article_title=comment.article.title,
        article_url=safe_url(comment.article.url),
        parent=(parent.id, parent.author.display_name, parent.status.value, parent.text) if parent else None,
        author=author_history(session, comment.author_id),
        reports=tuple((r.created_at, r.reason, r.note) for r in comment.reports),
        revisions=_revisions(session, comment) if len(comment.revisions) > 1 else (),
        history=tuple(
            HistoryEntry(d.created_at, email or d.actor, d.action, d.to_status.value, d.reason, d.note)
            for d, email in history
        ),
        claim=state,
        may_decide=decidable,
        previous_id=None,
        next_id=None,
    )
    list_name, filters = within or (name, Filters())
    previous_id, next_id, position = place_in_list(session, comment.id, list_name, filters)
    session.commit()
    return CommentView(**{**view.__dict__, "previous_id": previous_id, "next_id": next_id, "position": position})
