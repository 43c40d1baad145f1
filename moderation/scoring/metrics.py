"""Ranking metrics per label and per source, ignoring unlabelled rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import norm, rankdata
from sklearn.metrics import average_precision_score, roc_auc_score

from moderation.scoring.dataset import LabelledComment


def roc_auc_interval(y: np.ndarray, p: np.ndarray, level: float = 0.95) -> tuple[float, float] | None:
    """A confidence interval for the ROC-AUC from DeLong's variance (in Sun and Xu's midrank form), normal and
    clipped to [0, 1]; None with fewer than two rows of either class. With a thousand rows it is about ±0.03:
    differences smaller than that between two models on the same rows need more rows to mean anything."""
    positives, negatives = p[y == 1], p[y == 0]
    m, n = len(positives), len(negatives)
    if m < 2 or n < 2:
        return None
    overall = rankdata(np.concatenate([positives, negatives]))
    # each positive's share of negatives ranked below it, each negative's share of positives ranked above it
    above = (overall[:m] - rankdata(positives)) / n
    below = 1.0 - (overall[m:] - rankdata(negatives)) / m
    auc = float(above.mean())
    half = float(norm.ppf(0.5 + level / 2) * np.sqrt(above.var(ddof=1) / m + below.var(ddof=1) / n))
    return max(0.0, auc - half), min(1.0, auc + half)


def label_metrics(
    truth: Sequence[float | None], scores: Sequence[float], threshold: float | None = None
) -> dict[str, Any]:
    """n, positives, ROC-AUC with its 95% interval and PR-AUC (None when a class is missing), precision/recall
    at a threshold."""
    pairs = [(t, s) for t, s in zip(truth, scores, strict=True) if t is not None]
    y = np.array([t for t, _ in pairs], dtype=np.int8)
    p = np.array([s for _, s in pairs], dtype=np.float64)
    positives = int(y.sum())
    both = 0 < positives < len(y)
    interval = roc_auc_interval(y, p)
    result: dict[str, Any] = {
        "n": len(y),
        "positives": positives,
        "roc_auc": round(float(roc_auc_score(y, p)), 4) if both else None,
        "roc_auc_ci": [round(bound, 4) for bound in interval] if interval else None,
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
