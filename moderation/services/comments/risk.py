"""What a comment's risk is: how harmful each fired clause is, and the most harmful one. The outcome store keeps it
beside the comment when it stores a score (the queues sort and filter by those columns); the queues rank with it.

The harm ladder comes first, the score only within one step of it: threats and calls to harm a group, then
dehumanisation and hate, then other harms (obscenity, attacks), then checks (links). A clause's kind says where it
stands (policy data); a detector finding that says more (a threat found under a milder clause) lifts it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from moderation.detectors.registry import DETECTOR_SIGNALS, SIGNAL_KINDS
from moderation.enums import Action, ClauseKind
from moderation.policy.model import ClauseResult


def harm_kind(kind: str, signals: Iterable[str] = ()) -> ClauseKind:
    """Where a fired clause stands on the harm ladder: its kind, or higher when one of its signals says so."""
    found = [ClauseKind(kind), *(SIGNAL_KINDS[s] for s in signals if s in SIGNAL_KINDS)]
    return max(found, key=lambda k: k.severity)


def clause_rank(kind: str, action: str, signals: Iterable[str] = ()) -> int:
    """How severe a fired clause is: twice its step on the harm ladder (`ClauseKind.severity`, signals included),
    plus one in its reject band. So 7/6 a threat, 5/4 hate, 3/2 another harm, 1/0 a check."""
    return 2 * harm_kind(kind, signals).severity + (1 if action == Action.REJECT.value else 0)


def top_signal(signals: Sequence[str]) -> str | None:
    """The signal to name beside the clause ("inflammatory · threat"): the most harmful detector finding, else the
    first signal that fired."""
    ranked = sorted(signals, key=lambda s: -SIGNAL_KINDS[s].severity if s in SIGNAL_KINDS else 0)
    return ranked[0] if ranked else None


def is_detector(signal: str) -> bool:
    """Whether a signal is a rule detector's finding (not a model label)."""
    return signal in DETECTOR_SIGNALS


@dataclass(frozen=True)
class FiredClause:
    """A clause that fired on the comment's latest score."""

    clause: str
    action: str
    score: float
    kind: str = ClauseKind.HARM.value
    signals: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        """Its severity (see clause_rank): scores are only compared within one rank."""
        return clause_rank(self.kind, self.action, self.signals)

    @property
    def signal(self) -> str | None:
        """The signal named on its chip (see top_signal)."""
        return top_signal(self.signals)


def fired_clauses(clauses: Iterable[ClauseResult]) -> tuple[FiredClause, ...]:
    """The clauses of a stored score that held or rejected the comment, most severe first."""
    out = [FiredClause(c.clause, c.action.value, c.score, c.kind.value, c.signals)
           for c in clauses if c.action in (Action.REVIEW, Action.REJECT)]
    return tuple(sorted(out, key=lambda f: (f.rank, f.score), reverse=True))


def risk_of(fired: Sequence[FiredClause]) -> tuple[int, float]:
    """The most severe clause's rank, then its score; (-1, 0.0) when none fired."""
    return max(((f.rank, f.score) for f in fired), default=(-1, 0.0))
