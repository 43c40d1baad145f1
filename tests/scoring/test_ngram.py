"""The n-gram member computes its character features word by word with a cache, identical to scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest

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


def test_added_labels_share_the_vocabulary_and_leave_the_others_as_they_were():
    from moderation.scoring.dataset import LabelledComment

    model = TfidfLogistic.load(bundled.WEIGHTS_DIR / NGRAM_NAME)
    texts = ["you are a worthless clown", "thanks for the clear report", "क्या बात है भाई"]
    before = model.logits(texts)[:, [model.fitted_labels.index(label) for label in ("toxicity", "insult")]]
    rows = [LabelledComment(f"r{i}", "written", text, {"rudeness": int(i % 2 == 0)})
            for i, text in enumerate(["clown idiot fool", "thank you kindly"] * 10)]
    model.add_labels(rows, ["rudeness"])
    model.add_labels(rows, ["rudeness"])  # fitting it again replaces it
    assert model.fitted_labels.count("rudeness") == 1
    after = model.logits(texts)
    assert after[:, [model.fitted_labels.index(label) for label in ("toxicity", "insult")]] == \
        pytest.approx(before)
    rude = after[:, model.fitted_labels.index("rudeness")]
    assert rude[0] > rude[1]
