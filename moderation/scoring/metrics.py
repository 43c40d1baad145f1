"""Ranking metrics per label and per source, ignoring unlabelled rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

from moderation.scoring.dataset import LabelledComment


def label_metrics(
    truth: Sequence[float | None], scores: Sequence[float], threshold: float | None = None
) -> dict[str, Any]:
    """n, positives, ROC-AUC and PR-AUC (None when a class is missing), precision/recall at a threshold."""
    pairs = [(t, s) for t, s in zip(truth, scores, strict=True) if t is not None]
    y = np.array([t for t, _ in pairs], dtype=np.int8)
    p = np.array([s for _, s in pairs], dtype=np.float64)
    positives = int(y.sum())
    both = 0 < positives < len(y)
    result: dict[str, Any] = {
        "n": len(y),
        "positives": positives,
        "roc_auc": round(float(roc_auc_score(y, p)), 4) if both else None,
        "pr_auc": round(float(average_precision_score(y, p)), 4) if both else None,
    }
    if threshold is not None:
        flagged = p >= threshold
        hits = int((flagged & (y == 1)).sum())
        result["threshold"] = threshold
        result["precision"] = round(hits / int(flagged.sum()), 4) if flagged.any() else None
        result["recall"] = round(hits / positives, 4) if positives else None
    return result


def evaluate_scores(
    rows: Sequence[LabelledComment],
    scores: Sequence[dict[str, float]],
    labels: Sequence[str],
    thresholds: dict[str, float] | None = None,
    subgroup: str | None = None,
) -> dict[str, Any]:
    """Metrics over all rows and per source: {"labels": {...}, "by_source": {source: {...}}}.

    With `subgroup`, the rows of a source that carry that column in their source labels are also measured
    per value of it, as `source[column=value]` beside the whole source (`-` for an empty value)."""
    thresholds = thresholds or {}

    def block(indices: list[int]) -> dict[str, Any]:
        out = {}
        for label in labels:
            truth = [rows[i].labels.get(label) for i in indices]
            if all(t is None for t in truth) or label not in scores[indices[0]]:
                continue
            out[label] = label_metrics(truth, [scores[i][label] for i in indices], thresholds.get(label))
        return out

    sources: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        sources.setdefault(row.source, []).append(index)
        if subgroup and subgroup in row.source_labels:
            sources.setdefault(f"{row.source}[{subgroup}={row.source_labels[subgroup] or '-'}]", []).append(index)
    return {
        "labels": block(list(range(len(rows)))) if rows else {},
        "by_source": {source: block(indices) for source, indices in sorted(sources.items())},
    }
