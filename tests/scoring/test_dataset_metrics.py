"""Reading the shared JSONL format, the reproducible split, and masked metrics."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.metrics import roc_auc_score

from moderation.scoring import dataset, metrics


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_split_is_stable_and_about_ten_percent():
    ids = [f"src:{i}" for i in range(5000)]
    first = [dataset.is_validation(i) for i in ids]
    assert first == [dataset.is_validation(i) for i in ids]
    assert 0.08 < sum(first) / len(ids) < 0.12


def test_read_jsonl_keeps_nulls_and_refuses_bad_labels(tmp_path):
    path = write(tmp_path / "a.jsonl", [{"id": "x:1", "source": "x", "text": "hi", "labels": {"toxicity": None, "insult": 1}}])
    (row,) = dataset.read_jsonl(path)
    assert row.labels == {"toxicity": None, "insult": 1}
    bad = write(tmp_path / "b.jsonl", [{"id": "x:2", "text": "hi", "labels": {"toxicity": 2}}])
    with pytest.raises(ValueError, match="b.jsonl:1"):
        list(dataset.read_jsonl(bad))


def test_metrics_ignore_unlabelled_rows_and_report_per_source():
    rows = [
        dataset.LabelledComment("a:1", "a", "t", {"toxicity": 1}),
        dataset.LabelledComment("a:2", "a", "t", {"toxicity": 0}),
        dataset.LabelledComment("a:3", "a", "t", {"toxicity": None}),
        dataset.LabelledComment("b:1", "b", "t", {"toxicity": 1}),
    ]
    scores = [{"toxicity": 0.9}, {"toxicity": 0.1}, {"toxicity": 0.99}, {"toxicity": 0.2}]
    result = metrics.evaluate_scores(rows, scores, ["toxicity"], {"toxicity": 0.5})
    assert result["labels"]["toxicity"]["n"] == 3
    assert result["by_source"]["a"]["toxicity"]["roc_auc"] == 1.0
    assert result["by_source"]["a"]["toxicity"]["precision"] == 1.0
    assert result["by_source"]["b"]["toxicity"]["roc_auc"] is None  # one class only
    assert result["labels"]["toxicity"]["recall"] == 0.5


def test_subgroups_are_measured_beside_their_whole_source():
    def row(i, split, toxic):
        return dataset.LabelledComment(f"c:{i}", "c", "t", {"toxicity": toxic}, source_labels={"split": split})

    rows = [row(1, "train", 1), row(2, "train", 0), row(3, "", 1), row(4, "", 0),
            dataset.LabelledComment("o:1", "o", "t", {"toxicity": 1})]
    scores = [{"toxicity": s} for s in (0.9, 0.1, 0.2, 0.8, 0.5)]
    result = metrics.evaluate_scores(rows, scores, ["toxicity"], subgroup="split")
    assert set(result["by_source"]) == {"c", "c[split=train]", "c[split=-]", "o"}
    assert result["by_source"]["c[split=train]"]["toxicity"]["roc_auc"] == 1.0
    assert result["by_source"]["c[split=-]"]["toxicity"]["roc_auc"] == 0.0
    assert result["by_source"]["c"]["toxicity"]["n"] == 4
    assert result["labels"]["toxicity"]["n"] == 5


def test_annotator_agreement_becomes_soft_targets_only_where_labelled(tmp_path):
    civil = {"n_annotators": "3", "n_not_toxic": "1", "n_insult": "2", "n_threat": "0", "n_identity_attack": "0",
             "n_profane_obscene": "1"}
    davidson = {"class": 1, "count": 4, "hate_speech": 1, "offensive_language": 3, "neither": 0}
    path = write(tmp_path / "a.jsonl", [
        {"id": "c:1", "source": "civil", "text": "a", "source_labels": civil,
         "labels": {"toxicity": 1, "insult": 1, "obscene": 0, "threat": None}},
        {"id": "d:1", "source": "davidson", "text": "b", "source_labels": davidson,
         "labels": {"toxicity": 1, "identity_attack": 0, "insult": None}},
        {"id": "o:1", "source": "olid", "text": "c", "source_labels": {"subtask_a": "OFF"}, "labels": {"toxicity": 1}},
        {"id": "x:1", "source": "x", "text": "d", "source_labels": {"n_annotators": "0", "n_not_toxic": "0"},
         "labels": {"toxicity": 0}},
    ])
    rows = list(dataset.read_jsonl(path))
    assert rows[0].agreement["toxicity"] == pytest.approx(2 / 3) and rows[0].agreement["obscene"] == pytest.approx(1 / 3)
    assert rows[1].agreement == {"toxicity": 1.0, "identity_attack": 0.25}
    assert rows[2].agreement == {} and rows[3].agreement == {}  # no counts; malformed counts
    labels = ["toxicity", "insult", "obscene", "threat", "identity_attack"]
    assert dataset.label_matrix(rows, labels) == [
        [1.0, 1.0, 0.0, None, None], [1.0, None, None, None, 0.0], [1.0, None, None, None, None],
        [0.0, None, None, None, None]]
    soft = dataset.label_matrix(rows, labels, soft=True)
    assert soft[0][:3] == pytest.approx([2 / 3, 2 / 3, 1 / 3]) and soft[0][3:] == [None, None]
    assert soft[1] == [1.0, None, None, None, 0.25] and soft[2] == [1.0, None, None, None, None]


def test_roc_auc_interval_matches_sklearn_and_a_bootstrap():
    rng = np.random.default_rng(7)
    y = (rng.random(600) < 0.3).astype(np.int8)
    p = np.round(rng.normal(loc=y * 0.8, scale=1.0), 1)  # rounded: ties between the classes count half
    result = metrics.label_metrics(y.tolist(), p.tolist())
    low, high = result["roc_auc_ci"]
    assert result["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-4)
    assert low < result["roc_auc"] < high
    resampled = []
    for _ in range(400):
        pick = rng.integers(0, len(y), len(y))
        resampled.append(roc_auc_score(y[pick], p[pick]))
    bootstrap_half = 1.96 * np.std(resampled)
    assert (high - low) / 2 == pytest.approx(bootstrap_half, rel=0.2)
    more = metrics.label_metrics(np.tile(y, 4).tolist(), np.tile(p, 4).tolist())["roc_auc_ci"]
    assert more[1] - more[0] < (high - low) * 0.6  # four times the rows: about half the width


def test_roc_auc_interval_needs_two_rows_of_each_class():
    assert metrics.label_metrics([1, 0, 0], [0.9, 0.1, 0.2])["roc_auc_ci"] is None
    assert metrics.label_metrics([1, 1, 0, 0], [0.9, 0.8, 0.1, 0.2])["roc_auc_ci"] == [1.0, 1.0]


def test_paired_test_of_two_scorers_on_the_same_rows():
    rng = np.random.default_rng(11)
    y = (rng.random(800) < 0.4).astype(np.int8)
    strong = rng.normal(loc=y * 1.2, scale=1.0)
    weaker = strong + rng.normal(scale=1.0, size=len(y))  # correlated with the first, as two models on one text are
    p_value = metrics.roc_auc_difference_p(y, strong, weaker)
    diffs = []
    for _ in range(400):
        pick = rng.integers(0, len(y), len(y))
        diffs.append(roc_auc_score(y[pick], strong[pick]) - roc_auc_score(y[pick], weaker[pick]))
    diff = roc_auc_score(y, strong) - roc_auc_score(y, weaker)
    delong_se = abs(diff) / norm.isf(p_value / 2)  # the standard error the test used, recovered from its p-value
    assert delong_se == pytest.approx(np.std(diffs), rel=0.2)
    assert p_value < 0.01
    assert metrics.roc_auc_difference_p(y, strong, strong) == 1.0


def test_baseline_metrics_carry_the_paired_test_against_the_model():
    rows = [dataset.LabelledComment(f"a:{i}", "a", "t", {"toxicity": i % 2}) for i in range(40)]
    model = [{"toxicity": 0.1 + 0.8 * (i % 2) + 0.001 * i} for i in range(40)]
    baseline = [{"toxicity": 0.5 + 0.001 * i} for i in range(40)]  # ranks by row order only
    result = metrics.evaluate_scores(rows, baseline, ["toxicity"], reference=model)
    assert result["by_source"]["a"]["toxicity"]["p_vs_model"] < 0.001
    assert "p_vs_model" not in metrics.evaluate_scores(rows, model, ["toxicity"])["labels"]["toxicity"]
