"""A site's moderation policy as frozen data, and the outcome of applying it to one comment."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from moderation.detectors.base import Span
from moderation.enums import Action, ClauseKind, CoralCategory, Lane

#: A clause id: it names the clause in stored outcomes, the API, Perspective attributes and CSS classes.
CLAUSE_ID_PATTERN = r"^[a-z][a-z0-9_]{0,62}$"


@dataclass(frozen=True)
class LabelSignal:
    """A model label feeding a clause: at or above `review` holds, at or above `reject` rejects."""

    label: str
    review: float | None = None
    reject: float | None = None

    def action(self, score: float) -> Action:
        if self.reject is not None and score >= self.reject:
            return Action.REJECT
        if self.review is not None and score >= self.review:
            return Action.REVIEW
        return Action.PUBLISH


@dataclass(frozen=True)
class DetectorSignal:
    """A rule detector feeding a clause: any finding of `signal` with score >= `min_score` takes `action`.

    With `confirm` ((label, minimum) pairs), a finding counts only where the model agrees: some listed label
    scores at least its minimum, or the scorer gives none of them (a word that only looks like abuse, a place
    named Lund or a relative called saala, is left to the model; a scorer without those labels holds as before).
    With `confirm_quoted`, a finding whose words are all in quotation marks (a court report quoting the abuse, a
    reader objecting to a word) is confirmed by these pairs instead.
    """

    signal: str
    action: Action
    min_score: float = 0.0
    confirm: tuple[tuple[str, float], ...] = ()
    confirm_quoted: tuple[tuple[str, float], ...] = ()

    def confirmed(self, scores: Mapping[str, float], *, quoted: bool = False) -> bool:
        pairs = self.confirm_quoted if quoted and self.confirm_quoted else self.confirm
        known = [(label, floor) for label, floor in pairs if label in scores]
        return not known or any(scores[label] >= floor for label, floor in known)


@dataclass(frozen=True)
class Clause:
    """One rule of the site's guidelines, with the text shown to people and the signals that feed it; what is
    special about it (a check rather than a harm, how Coral files it) is said here, not in code."""

    id: str
    title: str
    reason: str
    lane: Lane
    labels: tuple[LabelSignal, ...] = ()
    detectors: tuple[DetectorSignal, ...] = ()
    kind: ClauseKind = ClauseKind.HARM
    coral_category: CoralCategory = CoralCategory.TOXIC
    #: What the commenter is told when a moderator rejects their comment under this clause; "" = `reason`.
    reader: str = ""

    @property
    def reader_text(self) -> str:
        """The message to the commenter for a rejection under this clause."""
        return self.reader or self.reason


@dataclass(frozen=True)
class Coordinated:
    """The `coordinated` signal: hold a comment once `size` near-identical comments (it included) arrived within
    `window_minutes` of each other; a size of 0 holds none (the comments are grouped all the same)."""

    size: int = 0
    window_minutes: int = 60


@dataclass(frozen=True)
class Surge:
    """The surge watch: a story is flagged when, among its comments of the last `window_minutes` (at least
    `min_comments` of them), the held share reaches `held_share` or reader reports per comment reach
    `report_rate` (0 turns that test off); with `premoderate`, its new comments then wait until an editor lifts
    it. Off when `min_comments` is 0."""

    min_comments: int = 0
    window_minutes: int = 60
    held_share: float = 0.0
    report_rate: float = 0.0
    premoderate: bool = False


@dataclass(frozen=True)
class Moderation:
    """Site-level handling around the clauses: pre-moderation and reader reports."""

    premoderate: str = "none"  # "none" | "all" | "links"
    premoderate_first_comments: int = 0
    report_threshold: int = 3
    hide_reported: bool = True
    review_languages: tuple[str, ...] = ()
    coordinated: Coordinated = field(default_factory=Coordinated)
    surge: Surge = field(default_factory=Surge)


@dataclass(frozen=True)
class LabelCalibration:
    """Platt scaling of one model label to this site's moderators: sigmoid(a * logit(score) + b) is the share of
    comments with that score they removed for the clause."""

    a: float
    b: float

    def apply(self, score: float) -> float:
        s = min(max(score, _EPSILON), 1 - _EPSILON)
        z = self.a * math.log(s / (1 - s)) + self.b
        return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


_EPSILON = 1e-6


@dataclass(frozen=True)
class Calibration:
    """A versioned calibration file a policy names (`calibration = "<name>"`): per label, the site's curve."""

    name: str
    version: str
    labels: Mapping[str, LabelCalibration] = field(default_factory=dict)

    def apply(self, scores: Mapping[str, float]) -> dict[str, float]:
        """The scores on the moderators' scale; labels without a curve keep the model's score."""
        return {k: self.labels[k].apply(v) if k in self.labels else v for k, v in scores.items()}


@dataclass(frozen=True)
class Policy:
    """A site's policy: clauses, allowed link domains, word lists and moderation settings."""

    name: str
    version: str
    description: str
    clauses: tuple[Clause, ...]
    allowed_domains: tuple[str, ...] = ()
    wordlists: tuple[str, ...] = ()
    moderation: Moderation = field(default_factory=Moderation)
    source: str = ""
    #: When named by the policy: label scores pass through it before the thresholds are applied.
    calibration: Calibration | None = None

    def scale(self, scores: Mapping[str, float]) -> Mapping[str, float]:
        """The scores the thresholds are compared with: calibrated when the policy names a calibration."""
        return self.calibration.apply(scores) if self.calibration else scores

    def clause(self, clause_id: str) -> Clause:
        return next(c for c in self.clauses if c.id == clause_id)


@dataclass(frozen=True)
class ClauseResult:
    """A clause that fired: its action, strongest score, reason text and evidence spans."""

    clause: str
    action: Action
    score: float
    reason: str
    spans: tuple[Span, ...] = ()
    signals: tuple[str, ...] = ()
    kind: ClauseKind = ClauseKind.HARM

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "kind": self.kind.value,
            "action": self.action.value,
            "score": round(self.score, 4),
            "reason": self.reason,
            "spans": [s.to_dict() for s in self.spans],
            "signals": list(self.signals),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClauseResult:
        """A clause result as `to_dict` stored it; rows stored before clauses had a kind read as harms."""
        return cls(
            clause=str(data["clause"]),
            action=Action(data["action"]),
            score=float(data.get("score") or 0.0),
            reason=str(data.get("reason") or ""),
            spans=tuple(Span.from_dict(s) for s in data.get("spans") or ()),
            signals=tuple(str(s) for s in data.get("signals") or ()),
            kind=ClauseKind(data.get("kind") or ClauseKind.HARM),
        )


@dataclass(frozen=True)
class Named:
    """A name and version (of a model or a policy), recorded with every decision."""

    name: str
    version: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Named:
        return cls(str(data["name"]), str(data["version"]))


@dataclass(frozen=True)
class Outcome:
    """What the policy says about one comment, and why."""

    action: Action
    lane: Lane | None
    clauses: tuple[ClauseResult, ...]
    scores: Mapping[str, float]
    language: str
    model: Named
    policy: Named
    holds: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action.value,
            "lane": self.lane.value if self.lane else None,
            "clauses": [c.to_dict() for c in self.clauses],
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "language": self.language,
            "holds": list(self.holds),
            "model": self.model.to_dict(),
            "policy": self.policy.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Outcome:
        """An outcome as `to_dict` stored it: the one reader of stored outcomes, so no page reads their JSON."""
        return cls(
            action=Action(data["action"]),
            lane=Lane(data["lane"]) if data.get("lane") else None,
            clauses=tuple(ClauseResult.from_dict(c) for c in data.get("clauses") or ()),
            scores={str(k): float(v) for k, v in (data.get("scores") or {}).items()},
            language=str(data.get("language") or ""),
            model=Named.from_dict(data["model"]),
            policy=Named.from_dict(data["policy"]),
            holds=tuple(str(h) for h in data.get("holds") or ()),
        )
