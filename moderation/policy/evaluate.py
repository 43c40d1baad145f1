"""Applying a policy to one comment's signals: pure, no I/O, tested from tables of cases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from moderation.detectors.base import Finding, Span
from moderation.enums import Action, Lane
from moderation.policy.model import Clause, ClauseResult, Named, Outcome, Policy


@dataclass(frozen=True)
class Signals:
    """Everything known about one comment: model scores, detector findings, script, evidence per label."""

    scores: Mapping[str, float]
    findings: tuple[Finding, ...] = ()
    language: str = "en"
    label_spans: Mapping[str, tuple[Span, ...]] = field(default_factory=dict)


def _clause_result(clause: Clause, signals: Signals, scores: Mapping[str, float]) -> ClauseResult | None:
    """The clause's verdict: the most severe action among its signals, their top score and evidence. `scores` are
    on the policy's scale (calibrated where it names a calibration): its bands and detectors' `confirm` minimums
    read them."""
    fired: list[tuple[Action, float, str, tuple[Span, ...]]] = []
    for ls in clause.labels:
        score = scores.get(ls.label)
        if score is None:
            continue
        action = ls.action(score)
        if action is not Action.PUBLISH:
            fired.append((action, score, ls.label, tuple(signals.label_spans.get(ls.label, ()))))
    for ds in clause.detectors:
        for finding in signals.findings:
            if (finding.signal == ds.signal and finding.score >= ds.min_score
                    and ds.confirmed(scores, quoted=finding.quoted)):
                fired.append((ds.action, finding.score, finding.signal, finding.spans))
    if not fired:
        return None
    action = max((f[0] for f in fired), key=lambda a: a.severity)
    spans = sorted({s for f in fired for s in f[3]}, key=lambda s: (s.start, s.end))
    names = tuple(dict.fromkeys(f[2] for f in fired))
    return ClauseResult(clause.id, action, max(f[1] for f in fired), clause.reason, tuple(spans), names, clause.kind)


def evaluate(policy: Policy, signals: Signals, model: Named) -> Outcome:
    """What the policy says about a comment: action, lane, the clauses that fired and why."""
    scores = policy.scale(signals.scores)
    results = [r for r in (_clause_result(c, signals, scores) for c in policy.clauses) if r is not None]
    results.sort(key=lambda r: (-r.action.severity, -r.score))
    action = results[0].action if results else Action.PUBLISH
    holds: tuple[str, ...] = ()
    if action is Action.PUBLISH and signals.language in policy.moderation.review_languages:
        action, holds = Action.REVIEW, (f"language:{signals.language}",)
    lane: Lane | None = None
    if action is Action.REVIEW:
        legal = {c.id for c in policy.clauses if c.lane is Lane.LEGAL}
        lane = Lane.LEGAL if any(r.clause in legal and r.action is Action.REVIEW for r in results) else Lane.REVIEW
    return Outcome(
        action=action,
        lane=lane,
        clauses=tuple(results),
        scores=dict(signals.scores),
        language=signals.language,
        model=model,
        policy=Named(policy.name, policy.version),
        holds=holds,
    )


def fired_labels(policy: Policy, scores: Mapping[str, float]) -> dict[str, float]:
    """Labels whose score reaches a band of some clause, with the lowest such threshold (for evidence)."""
    out: dict[str, float] = {}
    scores = policy.scale(scores)
    for clause in policy.clauses:
        for ls in clause.labels:
            bands = [t for t in (ls.review, ls.reject) if t is not None]
            if ls.label in scores and bands and scores[ls.label] >= min(bands):
                out[ls.label] = min(out.get(ls.label, 1.0), min(bands))
    return out
