"""Measuring a scorer on labelled comments, optionally beside the baselines, in one run."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from moderation.scoring import dataset, metrics
from moderation.scoring.base import Scorer

log = logging.getLogger(__name__)


def score_all(score: Callable[[Sequence[str]], list[Any]], texts: Sequence[str], batch: int = 256) -> list[dict[str, float]]:
    """Score texts in batches (keeps memory flat on large files)."""
    out: list[dict[str, float]] = []
    for start in range(0, len(texts), batch):
        out.extend(dict(s) for s in score(texts[start : start + batch]))
    return out


def unknown_labels(rows: Sequence[dataset.LabelledComment], labels: Sequence[str]) -> list[str]:
    """Label keys in the file that the scorer does not predict (reported, not scored)."""
    return sorted({k for r in rows for k in r.labels} - set(labels))


def evaluate(
    scorer: Scorer,
    rows: Sequence[dataset.LabelledComment],
    thresholds: dict[str, float],
    *,
    compare: bool = False,
    train_data: Path | None = None,
    subgroup: str | None = None,
    scores_out: Path | None = None,
) -> dict[str, Any]:
    """{"model", "labels", "by_source", "ignored_labels"[, "baselines"]} for the scorer on the rows; with
    `scores_out`, each row's scores (the baselines' too) are also written there, for looking at single comments."""
    scorer.load()
    labels = list(scorer.labels)
    texts = [r.text for r in rows]
    result: dict[str, Any] = {"model": {"name": scorer.name, "version": scorer.version}, "n": len(rows)}
    scores = score_all(scorer.score, texts)
    result.update(metrics.evaluate_scores(rows, scores, labels, thresholds, subgroup))
    result["ignored_labels"] = unknown_labels(rows, labels)
    compared = baseline_scores(rows, labels, train_data) if compare else {}
    if compare:
        # each baseline's figures carry the paired test against the model's scores of the same rows
        result["baselines"] = {
            name: {"model": {"name": name, "version": "baseline"},
                   **metrics.evaluate_scores(rows, values, labels, thresholds, subgroup, reference=scores)}
            for name, values in compared.items()
        }
    if scores_out is not None:
        write_scores(scores_out, rows, scores, compared)
    return result


def baseline_scores(
    rows: Sequence[dataset.LabelledComment], labels: Sequence[str], train_data: Path | None
) -> dict[str, list[dict[str, float]]]:
    """The rows scored by alt-profanity-check and by a TF-IDF logistic regression trained here on the training
    split of `train_data` (less any of the rows)."""
    from moderation.scoring.baselines import ProfanityCheckScorer
    from moderation.scoring.ngram import TfidfLogistic

    if train_data is None or not Path(train_data).exists():
        raise FileNotFoundError(f"--compare needs the training data to fit the TF-IDF baseline: {train_data} not found")
    texts = [r.text for r in rows]
    train_rows, _ = dataset.split(dataset.read_jsonl(train_data))
    eval_ids = {r.id for r in rows}
    train_rows = [r for r in train_rows if r.id not in eval_ids]
    log.info("fitting tfidf-lr on %d training rows", len(train_rows))
    return {scorer.name: score_all(scorer.score, texts)
            for scorer in (ProfanityCheckScorer(labels), TfidfLogistic(labels).fit(train_rows))}


def write_scores(
    path: Path,
    rows: Sequence[dataset.LabelledComment],
    scores: Sequence[dict[str, float]],
    baselines: dict[str, list[dict[str, float]]],
) -> None:
    """One JSON line per row: {"id", "source", "labels", "scores"[, "baselines": {name: scores}]}."""
    with open(path, "w", encoding="utf-8") as handle:
        for index, row in enumerate(rows):
            line: dict[str, Any] = {"id": row.id, "source": row.source, "labels": row.labels, "scores": scores[index]}
            if baselines:
                line["baselines"] = {name: values[index] for name, values in baselines.items()}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
