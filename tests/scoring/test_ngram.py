"""The n-gram member computes its character features word by word with a cache, identical to scikit-learn's."""

from __future__ import annotations

import numpy as np

from moderation.benchmarks.scoring import workload
from moderation.scoring import bundled
from moderation.scoring.ensemble import NGRAM_NAME
from moderation.scoring.ngram import TfidfLogistic

from .sample import write_sample

ODD = ["", "   ", "İSTANBUL  Straße\tTAB\nnew line", "क्या बात है भाई, यह गलत है", "f*ck  y0u!!! sh1t", "a", "ab",
       "Dikshit and Shital from Nagpur", "www.example.com/path?q=1 #hashtag @user"]


def _same_features(model: TfidfLogistic, texts: list[str]) -> None:
    expected = model._char.transform(texts).toarray()
    for _ in range(2):  # with the per-word cache cold, then warm
        got = model._char_features(texts)
        assert got.shape == expected.shape
        assert np.abs(got.toarray() - expected).max() < 1e-6


def test_cached_character_features_equal_the_vectorizers():
    model = TfidfLogistic.load(bundled.WEIGHTS_DIR / NGRAM_NAME)
    _same_features(model, workload(120) + ODD)
    _same_features(model, ["single"])


def test_refitting_starts_a_fresh_cache(tmp_path):
    from moderation.scoring import dataset

    rows = list(dataset.read_jsonl(write_sample(tmp_path / "a.jsonl")))
    model = TfidfLogistic(["toxicity", "insult"]).fit(rows)
    _same_features(model, [r.text for r in rows[:10]] + ODD)
    other = list(dataset.read_jsonl(write_sample(tmp_path / "b.jsonl", tag="b")))
    model.fit(other[: len(other) // 2])
    _same_features(model, [r.text for r in other] + ODD)
