"""A TF-IDF word + character n-gram logistic regression per label, stored without pickle.

Used twice: as the `tfidf-lr` baseline that evaluation trains on the fly, and (smaller, committed) as one
member of the bundled ensemble, where it adds the surface cues the fine-tuned encoder misses
(romanised Hindi, spelling variants).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from moderation.scoring.dataset import LabelledComment


def _vectorizers(max_features: int) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=max_features, sublinear_tf=True, dtype=np.float32)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, max_features=max_features,
                           sublinear_tf=True, dtype=np.float32)
    return word, char


class TfidfLogistic:
    """Fit on labelled rows (each label on the rows that carry it); score texts; save/load as .npz."""

    name = "tfidf-lr"

    def __init__(self, labels: Sequence[str], max_features: int = 200_000, seed: int = 13) -> None:
        self.labels = tuple(labels)
        self._seed = seed
        self._word, self._char = _vectorizers(max_features)
        self._coef = np.zeros((0, 0), dtype=np.float32)
        self._intercept = np.zeros(0, dtype=np.float32)
        self._fitted: tuple[str, ...] = ()
        self._char_grams: Callable[[str], array[int]] | None = None

    def _features(self, texts: Sequence[str]) -> csr_matrix:
        return hstack([self._word.transform(texts), self._char_features(texts)]).tocsr()

    def _char_features(self, texts: Sequence[str]) -> csr_matrix:
        """The character n-gram vectorizer's `transform`, computed word by word: its n-grams never cross a word's
        edges, so a text's counts are the sum of its words' counts, and words repeat (a cache makes this several
        times faster on news comments). Then sublinear tf, idf and l2 norm, as the vectorizer does."""
        if self._char_grams is None:
            self._char_grams = _word_grams(self._char.build_analyzer(), self._char.vocabulary_)
        grams = self._char_grams
        indptr, indices = [0], array("q")
        for text in texts:
            for word in text.split():
                indices.extend(grams(word))
            indptr.append(len(indices))
        ones = np.ones(len(indices), dtype=np.float32)
        matrix = csr_matrix((ones, np.frombuffer(indices, dtype=np.int64), indptr),
                            shape=(len(texts), len(self._char.vocabulary_)))
        matrix.sum_duplicates()  # repeated n-grams become counts
        np.log(matrix.data, out=matrix.data)
        matrix.data += 1.0
        matrix.data *= self._char.idf_[matrix.indices]
        return normalize(matrix, norm="l2", copy=False)

    def fit(self, rows: Sequence[LabelledComment]) -> TfidfLogistic:
        """Fit the vocabularies on all rows and one logistic regression per label."""
        texts = [r.text for r in rows]
        self._word.fit(texts)
        self._char.fit(texts)
        self._char_grams = None  # the per-word cache belongs to the vocabulary just fitted
        self._coef = np.zeros((0, 0), dtype=np.float32)
        self._intercept = np.zeros(0, dtype=np.float32)
        self._fitted = ()
        return self._fit_labels(rows, self.labels)

    def add_labels(self, rows: Sequence[LabelledComment], labels: Sequence[str]) -> TfidfLogistic:
        """Fit one more logistic regression per label on this model's own vocabulary (any earlier fit of those
        labels is replaced; the other labels keep their coefficients, so their scores do not move): one feature
        pass then scores every label."""
        self.labels = tuple(label for label in self._fitted if label not in labels) + tuple(labels)
        return self._fit_labels(rows, labels)

    def _fit_labels(self, rows: Sequence[LabelledComment], labels: Sequence[str]) -> TfidfLogistic:
        """Replace or add each label's logistic regression, fitted on the rows that carry the label."""
        keep = [i for i, label in enumerate(self._fitted) if label not in labels]
        coefs, intercepts = list(self._coef[keep]), list(self._intercept[keep])
        fitted = [self._fitted[i] for i in keep]
        features = self._features([r.text for r in rows])
        for label in labels:
            rows_with = [i for i, r in enumerate(rows) if r.labels.get(label) is not None]
            y = np.array([rows[i].labels[label] for i in rows_with])
            if len(set(y.tolist())) < 2:
                continue
            model = LogisticRegression(C=4.0, max_iter=1000, class_weight="balanced", random_state=self._seed)
            model.fit(features[rows_with], y)
            coefs.append(model.coef_[0])
            intercepts.append(model.intercept_[0])
            fitted.append(label)
        self._coef = np.array(coefs, dtype=np.float32)
        self._intercept = np.array(intercepts, dtype=np.float32)
        self._fitted = tuple(fitted)
        return self

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Decision values, one row per text, one column per fitted label."""
        return np.asarray(self._features(texts) @ self._coef.T) + self._intercept

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if not texts:
            return []
        probs = expit(self.logits(texts))
        return [dict(zip(self._fitted, map(float, row), strict=True)) for row in probs]

    @property
    def fitted_labels(self) -> tuple[str, ...]:
        return self._fitted

    def save(self, path: Path) -> None:
        """Vocabularies, idf and coefficients as a compressed .npz (float16 weights, no pickle)."""
        def vocab(v: TfidfVectorizer) -> np.ndarray:
            return np.array(sorted(v.vocabulary_, key=v.vocabulary_.__getitem__))

        np.savez_compressed(
            path, labels=np.array(self._fitted), word_vocab=vocab(self._word), char_vocab=vocab(self._char),
            word_idf=self._word.idf_.astype(np.float16), char_idf=self._char.idf_.astype(np.float16),
            coef=self._coef.astype(np.float16), intercept=self._intercept,
        )

    @classmethod
    def load(cls, path: Path) -> TfidfLogistic:
        """The model saved by `save`, ready to score."""
        with np.load(path, allow_pickle=False) as data:
            model = cls(labels=[str(x) for x in data["labels"]])
            for vectorizer, prefix in ((model._word, "word"), (model._char, "char")):
                vectorizer.vocabulary_ = {str(term): i for i, term in enumerate(data[f"{prefix}_vocab"])}
                vectorizer.idf_ = data[f"{prefix}_idf"].astype(np.float32)
            model._coef = data["coef"].astype(np.float32)
            model._intercept = data["intercept"].astype(np.float32)
            model._fitted = model.labels
        return model


def _word_grams(analyzer: Callable[[str], list[str]], vocabulary: dict[str, int]) -> Callable[[str], array[int]]:
    """One word's in-vocabulary n-grams (as feature indices, repeated as often as they occur), cached per word."""

    @lru_cache(maxsize=20_000)
    def grams(word: str) -> array[int]:
        return array("q", [vocabulary[g] for g in analyzer(word) if g in vocabulary])

    return grams
