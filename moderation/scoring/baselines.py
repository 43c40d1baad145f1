"""alt-profanity-check as a scorer: a baseline the bundled model is measured against (the other is tfidf-lr)."""

from __future__ import annotations

from collections.abc import Sequence


class ProfanityCheckScorer:
    """alt-profanity-check's offensive-language probability, reported for every label."""

    name = "alt-profanity-check"

    def __init__(self, labels: Sequence[str]) -> None:
        from moderation.scoring.profanity import FastProfanity

        self._predict = FastProfanity()  # the package's own model, minus scikit-learn's per-call overhead
        self.labels = tuple(labels)

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        probs = self._predict(texts) if texts else []
        return [dict.fromkeys(self.labels, float(p)) for p in probs]
