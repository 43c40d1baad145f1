"""The clause heads: their network, how their targets are built, the feature cache, mixing and the real model's use."""

from __future__ import annotations

import json

import numpy as np
import pytest

from moderation.scoring import bundled
from moderation.scoring.clause_training import (
    NGRAM_GRID,
    SEEDS,
    Written,
    choose_mixing,
    fit_averaged_heads,
    fit_heads,
    read_written,
    select_shared,
    shared_targets,
    target_matrix,
)
from moderation.scoring.clauses import CLAUSE_LABELS, ClauseHeads
from moderation.scoring.dataset import LabelledComment
from moderation.scoring.features import cached_features


def _separable(n: int = 2000, width: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Features whose first column decides the first label and second column the second."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, width)).astype(np.float32)
    y = np.stack([(x[:, 0] > 0), (x[:, 1] > 0)], axis=1).astype(np.float32)
    return x, y


def test_heads_learn_a_separable_problem_and_ignore_unknown_targets():
    x, y = _separable()
    y[:500, 1] = np.nan  # unknown: must neither help nor hurt
    heads = fit_heads(x, y, np.ones(len(x)), hidden=16, epochs=60, labels=("a", "b"))
    predicted = heads.logits(x) > 0
    assert (predicted[:, 0] == (y[:, 0] == 1)).mean() > 0.95
    known = ~np.isnan(y[:, 1])
    assert (predicted[known, 1] == (y[known, 1] == 1)).mean() > 0.95


def test_averaged_heads_are_the_mean_of_their_members(tmp_path):
    x, y = _separable()
    settings = {"hidden": 8, "epochs": 2, "labels": ("a", "b")}
    averaged = fit_averaged_heads(x, y, np.ones(len(x)), seed=5, seeds=2, **settings)
    members = [fit_heads(x, y, np.ones(len(x)), seed=5 + i, **settings) for i in range(2)]
    expected = np.mean([m.logits(x) for m in members], axis=0)
    assert averaged.logits(x) == pytest.approx(expected, abs=1e-4)
    assert SEEDS >= 1


def test_heads_round_trip_through_their_file(tmp_path):
    x, y = _separable()
    heads = fit_heads(x, y, np.ones(len(x)), hidden=8, epochs=2, labels=("a", "b"))
    heads.save(tmp_path / "heads.npz")
    loaded = ClauseHeads.load(tmp_path / "heads.npz")
    assert loaded.labels == ("a", "b")
    assert loaded.logits(x) == pytest.approx(heads.logits(x), abs=0.05)  # weights kept as float16


def test_written_rows_teach_their_clause_and_negatives_teach_every_clause():
    attack = Written("Sharma is a brainless clown", "personal_attack", True, "name_calling", "en")
    threat = Written("We will burn their shops", "inflammatory", True, "threat_group", "en", threat=True)
    negative = Written("Sharma's plan is badly thought out", "personal_attack", False, "civil_criticism", "en")
    assert attack.labels() == {"personal_attack": 1, "inflammatory": None, "violent_threat": None,
                               "defamation_risk": 0, "obscenity": None}
    assert threat.labels()["inflammatory"] == 1 and threat.labels()["violent_threat"] == 1
    assert negative.labels() == dict.fromkeys(CLAUSE_LABELS, 0)


def test_shared_rows_imply_clause_targets_from_their_sources_labels():
    hate = LabelledComment("h1", "hatexplain_magpie", "x", {"toxicity": 1, "insult": None, "threat": None,
                                                           "identity_attack": 1})
    clean = LabelledComment("c1", "olid", "x", {"toxicity": 0, "insult": 0, "threat": 0, "identity_attack": 0,
                                                "obscene": 0})
    assert shared_targets(hate) == {"personal_attack": None, "inflammatory": 1, "violent_threat": None,
                                    "defamation_risk": None, "obscenity": None}
    assert shared_targets(clean) == dict.fromkeys(CLAUSE_LABELS, 0)
    untargeted = LabelledComment("t1", "trac1", "x", {"toxicity": None})
    assert select_shared([untargeted]) == []  # says nothing about any clause


def test_read_written_keeps_one_row_per_text_and_refuses_rows_without_a_verdict(tmp_path):
    path = tmp_path / "rows.jsonl"
    rows = [{"text": "Same  TEXT", "clause": "obscene", "violates": True},
            {"text": "same text", "clause": "none", "violates": False}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert [w.clause for w in read_written([path])] == ["obscene"]
    path.write_text(json.dumps({"text": "no verdict", "clause": "none"}) + "\n")
    with pytest.raises(ValueError, match="violates"):
        read_written([path])


def test_target_matrix_marks_unknowns():
    matrix = target_matrix([{"a": 1, "b": None}, {"a": 0, "b": 1}], ("a", "b"))
    assert matrix[0, 0] == 1 and np.isnan(matrix[0, 1]) and matrix[1].tolist() == [0, 1]


def test_mixing_prefers_the_member_that_ranks_and_calibration_orders_like_the_logit():
    rng = np.random.default_rng(1)
    target = (rng.random(300) > 0.5).astype(np.float32)
    head = rng.normal(size=300)  # no signal
    ngram = (target * 2 - 1) + rng.normal(scale=0.3, size=300)  # strong signal
    chosen = choose_mixing(head[:, None], ngram[:, None], target[:, None], ["en"] * 300, ["a"])
    assert chosen["weights"]["a"]["ngram"] == max(NGRAM_GRID)
    a, _ = chosen["calibration"]["a"]
    assert a > 0
    assert chosen["report"]["a"]["dev_roc_auc"] > 0.9


def test_feature_cache_extracts_each_text_once_and_resumes(tmp_path):
    calls: list[list[str]] = []

    def extract(texts):
        calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    cache = tmp_path / "features.npz"
    first = cached_features(extract, ["a", "bb", "a"], cache)
    assert first.tolist() == [[1, 1], [2, 1], [1, 1]]
    second = cached_features(extract, ["bb", "ccc"], cache)
    assert second.tolist() == [[2, 1], [3, 1]]
    assert calls == [["a", "bb"], ["ccc"]]


def test_bundled_weights_name_their_heads_by_hash():
    spec = json.loads((bundled.WEIGHTS_DIR / bundled.ENSEMBLE_NAME).read_text())
    assert spec["heads_sha256"] == bundled.sha256_file(bundled.WEIGHTS_DIR / bundled.HEADS_NAME)
    heads = bundled.clause_heads()()
    assert heads.labels == CLAUSE_LABELS


def test_tampered_heads_are_refused(tmp_path):
    import shutil

    from moderation.errors import ModelIntegrityError

    for name in (bundled.ENSEMBLE_NAME, bundled.HEADS_NAME):
        shutil.copy(bundled.WEIGHTS_DIR / name, tmp_path / name)
    with open(tmp_path / bundled.HEADS_NAME, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelIntegrityError, match="clause heads"):
        bundled.clause_heads(tmp_path)()


def test_the_bundled_scorer_reports_every_clause_label(scorer):
    scores = scorer.score(["The collector took a bribe of ten lakh from Sunrise Builders.",
                           "Thank you for this clear report on the water supply."])
    assert set(CLAUSE_LABELS) <= set(scores[0])
    assert scores[0]["defamation_risk"] > scores[1]["defamation_risk"]


def test_the_encoder_features_are_the_pooled_layers(scorer):
    from moderation.scoring.encoder import FEATURE_LAYERS

    features = scorer._encoder.features(["a short comment", "another one"])
    assert features.shape == (2, 384 * len(FEATURE_LAYERS))
