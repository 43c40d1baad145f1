"""What a comment's risk is: how severe each fired clause is, and the most severe one. The outcome store keeps it
beside the comment when it stores a score (the queues sort and filter by those columns); the queues rank with it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from moderation.enums import Action, ClauseKind
from moderation.policy.model import ClauseResult


def clause_rank(kind: str, action: str) -> int:
    """How severe a fired clause is: 3 a threat of violence, 2 in its reject band, 1 a harm held for review, 0 a
    check held for a look (the policy says which clauses are threats and checks: `kind`)."""
    if kind == ClauseKind.THREAT.value:
        return 3
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
