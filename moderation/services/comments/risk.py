"""What a comment's risk is, stored beside it when it is scored: the queues sort and filter by these columns,
so every path that stores a score (submit, edit, rescore) sets them the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from moderation.db.models import Comment
from moderation.enums import Action, ClauseKind
from moderation.policy.model import ClauseResult


def clause_rank(kind: str, action: str) -> int:
    """How severe a fired clause is: 2 in its reject band, 1 a harm held for review, 0 a check held for a look
    (the policy says which clauses are checks: `kind = "check"`)."""
    if action == Action.REJECT.value:
        return 2
    return 0 if kind == ClauseKind.CHECK.value else 1


@dataclass(frozen=True)
class FiredClause:
    """A clause that fired on the comment's latest score."""

    clause: str
    action: str
    score: float
    kind: str = ClauseKind.HARM.value

    @property
    def rank(self) -> int:
        """Its severity (see clause_rank): scores are only compared within one rank."""
        return clause_rank(self.kind, self.action)


def fired_clauses(clauses: Iterable[ClauseResult]) -> tuple[FiredClause, ...]:
    """The clauses of a stored score that held or rejected the comment, most severe first."""
    out = [FiredClause(c.clause, c.action.value, c.score, c.kind.value)
           for c in clauses if c.action in (Action.REVIEW, Action.REJECT)]
    return tuple(sorted(out, key=lambda f: (f.rank, f.score), reverse=True))


def risk_of(fired: Sequence[FiredClause]) -> tuple[int, float]:
    """The most severe clause's rank, then its score; (-1, 0.0) when none fired."""
    return max(((f.rank, f.score) for f in fired), default=(-1, 0.0))


def set_risk(comment: Comment, clauses: Iterable[ClauseResult]) -> None:
    """Copy what the queues sort and filter by from the comment's latest score (its clauses)."""
    fired = fired_clauses(clauses)
    comment.risk_rank, comment.risk_score = risk_of(fired)
    comment.fired_clauses = "".join(f" {c}" for c in sorted({f.clause for f in fired})) + " " if fired else ""
