"""Reading the shared JSONL format, the reproducible split, and masked metrics."""

from __future__ import annotations

import json

import pytest

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
