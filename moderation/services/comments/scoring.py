"""Scoring comments: model + detectors + policy, batched, with evidence for what fired."""

from __future__ import annotations

from collections.abc import Sequence

from moderation.detectors.base import Span
from moderation.detectors.registry import detect_all
from moderation.policy.evaluate import Signals, evaluate, fired_labels
from moderation.policy.model import Named, Outcome, Policy
from moderation.scoring.base import QuickScorer, Scorer
from moderation.services.comments.sentences import split_sentences


def _label_evidence(
    scorer: Scorer, policy: Policy, texts: Sequence[str], scores: Sequence[dict[str, float]]
) -> list[dict[str, tuple[Span, ...]]]:
    """For labels that fired on multi-sentence texts: the sentences that carry the score.

    One extra batch over the sentences, with the scorer's quick pass when it has one.
    """
    evidence: list[dict[str, tuple[Span, ...]]] = [{} for _ in texts]
    wanted: list[tuple[int, dict[str, float], list[Span]]] = []
    for index, text in enumerate(texts):
        fired = fired_labels(policy, scores[index])
        if fired:
            parts = split_sentences(text)
            if len(parts) > 1:
                wanted.append((index, fired, parts))
            else:
                evidence[index] = {label: tuple(parts) for label in fired}
    flat = [span.text for _, _, parts in wanted for span in parts]
    quick = isinstance(scorer, QuickScorer)
    scored = (scorer.quick_score(flat) if quick else scorer.score(flat)) if flat else []
    sentence_scores = iter(scored)
    for index, fired, parts in wanted:
        per_sentence = [next(sentence_scores) for _ in parts]
        for label, threshold in fired.items():
            # Full scores are on the policy's scale: every sentence past the threshold is evidence.
            # Quick scores only rank, so the strongest sentence is shown.
            hits = () if quick else tuple(
                p for p, s in zip(parts, per_sentence, strict=True) if policy.scale(s).get(label, 0.0) >= threshold)
            if not hits:
                hits = (max(zip(parts, per_sentence, strict=True), key=lambda ps: ps[1].get(label, 0.0))[0],)
            evidence[index][label] = hits
    return evidence


def score_texts(
    scorer: Scorer, policy: Policy, texts: Sequence[str], *, site_domains: Sequence[str] = (), evidence: bool = True
) -> list[Outcome]:
    """The policy outcome for each text, in order. Raises ScoringError when the model fails.

    `evidence=False` skips the second model call that finds the sentences behind a fired label, for
    latency-bound callers that answer with scores only.
    """
    if not texts:
        return []
    scores = [dict(s) for s in scorer.score(texts)]
    allowed = (*policy.allowed_domains, *(d.lower() for d in site_domains))
    detections = [detect_all(text, allowed_domains=allowed, wordlists=policy.wordlists) for text in texts]
    spans = _label_evidence(scorer, policy, texts, scores) if evidence else [{} for _ in texts]
    model = Named(scorer.name, scorer.version)
    return [
        evaluate(policy, Signals(scores[i], detections[i].findings, detections[i].language, spans[i]), model)
        for i in range(len(texts))
    ]
