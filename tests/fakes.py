"""A scorer with fixed scores per text, so tests of storage and web behaviour do not move when the model is retrained.

Each text gets, for every label, the highest score of the words it contains (whole words, any case); a text with
none of them scores 0.0 everywhere. Sentences are scored the same way, so evidence spans land on the sentence
that carries the word, as they do with the real model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from moderation.scoring.base import LabelScores
from moderation.scoring.clauses import CLAUSE_LABELS
from moderation.scoring.labels import BUNDLED_LABELS

_INSULT = {"toxicity": 0.92, "insult": 0.85, "personal_attack": 0.85}
_OBSCENE = {"toxicity": 0.97, "obscene": 0.96, "insult": 0.7, "obscenity": 0.9}

#: Word (a regular expression matched as whole words) → the scores it gives the text that contains it.
WORD_SCORES: dict[str, dict[str, float]] = {
    r"idiot|moron|stupid|pathetic|worthless": _INSULT,
    r"fuck\w*|f\*\*\*ing|shit": _OBSCENE,
    r"die|kill": {"toxicity": 0.8, "threat": 0.7, "violent_threat": 0.7},
}


class FixedScorer:
    """The `Scorer` protocol over a table of words: the same text always gets the same scores."""

    name = "fixed"
    version = "1"
    ready = True
    labels: tuple[str, ...] = (*BUNDLED_LABELS, *CLAUSE_LABELS)

    def __init__(self, words: Mapping[str, Mapping[str, float]] | None = None) -> None:
        table = WORD_SCORES if words is None else words
        self._words = [(re.compile(rf"(?i)\b(?:{word})\b"), dict(scores)) for word, scores in table.items()]

    def load(self) -> None:
        return None

    def score(self, texts: Sequence[str]) -> list[LabelScores]:
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> dict[str, float]:
        out = dict.fromkeys(self.labels, 0.0)
        for pattern, scores in self._words:
            if pattern.search(text):
                for label, value in scores.items():
                    out[label] = max(out[label], value)
        return out


class FailingScorer:
    """The `Scorer` protocol for a model that fails every call with `error` (a new instance each time), counting
    the calls: a model that crashes, or one a test forbids the code under test to call."""

    name, version, ready = "failing", "0", True
    labels: tuple[str, ...] = ()

    def __init__(self, error: Callable[[Sequence[str]], Exception]) -> None:
        self.error = error
        self.calls = 0

    def load(self) -> None:
        return None

    def score(self, texts: Sequence[str]) -> list[LabelScores]:
        self.calls += 1
        raise self.error(texts)
