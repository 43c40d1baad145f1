"""Measuring a scorer on labelled comments, optionally beside the baselines, in one run."""

from __future__ import annotations

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
) -> dict[str, Any]:
    """{"model", "labels", "by_source", "ignored_labels"[, "baselines"]} for the scorer on the rows."""
    scorer.load()
    labels = list(scorer.labels)
    texts = [r.text for r in rows]
    result: dict[str, Any] = {"model": {"name": scorer.name, "version": scorer.version}, "n": len(rows)}
    scores = score_all(scorer.score, texts)
    result.update(metrics.evaluate_scores(rows, scores, labels, thresholds, subgroup))
    result["ignored_labels"] = unknown_labels(rows, labels)
    if compare:
        result["baselines"] = baselines(rows, labels, thresholds, train_data, subgroup, reference=scores)
    return result


def baselines(
    rows: Sequence[dataset.LabelledComment],
    labels: Sequence[str],
    thresholds: dict[str, float],
    train_data: Path | None,
    subgroup: str | None = None,
    reference: Sequence[dict[str, float]] | None = None,
) -> dict[str, Any]:
    """alt-profanity-check and a TF-IDF logistic regression trained here on the training split of `train_data`;
    with `reference` (the model's scores for the rows), each figure carries the paired test against it."""
    from moderation.scoring.baselines import ProfanityCheckScorer
    from moderation.scoring.ngram import TfidfLogistic

    if train_data is None or not Path(train_data).exists():
        raise FileNotFoundError(f"--compare needs the training data to fit the TF-IDF baseline: {train_data} not found")
    texts = [r.text for r in rows]
    train_rows, _ = dataset.split(dataset.read_jsonl(train_data))
    eval_ids = {r.id for r in rows}
    train_rows = [r for r in train_rows if r.id not in eval_ids]
    log.info("fitting tfidf-lr on %d training rows", len(train_rows))
    out: dict[str, Any] = {}
    for scorer in (ProfanityCheckScorer(labels), TfidfLogistic(labels).fit(train_rows)):
        out[scorer.name] = {
            "model": {"name": scorer.name, "version": "baseline"},
            **metrics.evaluate_scores(rows, score_all(scorer.score, texts), labels, thresholds, subgroup, reference),
        }
    return out
