"""Baselines the bundled model is measured against: alt-profanity-check and a TF-IDF n-gram logistic regression."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from moderation.scoring.dataset import LabelledComment


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


class TfidfLogisticScorer:
    """Word (1-2) and character (2-5) n-gram TF-IDF with one logistic regression per label."""

    name = "tfidf-lr"

    def __init__(self, labels: Sequence[str], max_features: int = 200_000, seed: int = 13) -> None:
        self.labels = tuple(labels)
        self._seed = seed
        self._word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=max_features, sublinear_tf=True)
        self._char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=3, max_features=max_features, sublinear_tf=True
        )
        self._models: dict[str, LogisticRegression] = {}

    def _features(self, texts: Sequence[str]):  # type: ignore[no-untyped-def]
        return hstack([self._word.transform(texts), self._char.transform(texts)]).tocsr()

    def fit(self, rows: Sequence[LabelledComment]) -> TfidfLogisticScorer:
        """Fit on the rows; each label only on the rows that carry it."""
        texts = [r.text for r in rows]
        self._word.fit(texts)
        self._char.fit(texts)
        features = self._features(texts)
        for label in self.labels:
            keep = [i for i, r in enumerate(rows) if r.labels.get(label) is not None]
            y = np.array([rows[i].labels[label] for i in keep])
            if len(set(y.tolist())) < 2:
                continue
            model = LogisticRegression(C=4.0, max_iter=1000, class_weight="balanced", random_state=self._seed)
            self._models[label] = model.fit(features[keep], y)
        return self

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if not texts:
            return []
        features = self._features(texts)
        columns = {label: m.predict_proba(features)[:, 1] for label, m in self._models.items()}
        return [{label: float(col[i]) for label, col in columns.items()} for i in range(len(texts))]
