"""alt-profanity-check as a scorer: a baseline the bundled model is measured against (the other is tfidf-lr)."""

from __future__ import annotations

from collections.abc import Sequence


class ProfanityCheckScorer:
    """alt-profanity-check's offensive-language probability, reported for every label."""

    name = "alt-profanity-check"

    def __init__(self, labels: Sequence[str]) -> None:
        from profanity_check import predict_prob

        self._predict = predict_prob
        self.labels = tuple(labels)

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        probs = self._predict(list(texts)) if texts else []
        return [dict.fromkeys(self.labels, float(p)) for p in probs]
