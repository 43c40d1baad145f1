"""Ranking metrics per label and per source, ignoring unlabelled rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import norm, rankdata
from sklearn.metrics import average_precision_score, roc_auc_score

from moderation.scoring.dataset import LabelledComment


def _placements(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DeLong's structural components (Sun and Xu's midrank form): each positive's share of negatives ranked
    below it, and each negative's share of positives ranked above it. Their means are the ROC-AUC."""
    positives, negatives = p[y == 1], p[y == 0]
    m, n = len(positives), len(negatives)
    overall = rankdata(np.concatenate([positives, negatives]))
    return (overall[:m] - rankdata(positives)) / n, 1.0 - (overall[m:] - rankdata(negatives)) / m


def _two_of_each(y: np.ndarray) -> bool:
    return 2 <= int(y.sum()) <= len(y) - 2


def roc_auc_interval(y: np.ndarray, p: np.ndarray, level: float = 0.95) -> tuple[float, float] | None:
    """A confidence interval for the ROC-AUC from DeLong's variance, normal and clipped to [0, 1]; None with fewer
    than two rows of either class. With a thousand rows it is about ±0.03."""
    if not _two_of_each(y):
        return None
    above, below = _placements(y, p)
    auc = float(above.mean())
    half = float(norm.ppf(0.5 + level / 2) * np.sqrt(above.var(ddof=1) / len(above) + below.var(ddof=1) / len(below)))
    return max(0.0, auc - half), min(1.0, auc + half)


def roc_auc_difference_p(y: np.ndarray, first: np.ndarray, second: np.ndarray) -> float | None:
    """Two-sided p-value of DeLong's paired test that two scorers have the same ROC-AUC on the same rows. Paired,
    it sees differences that the two intervals side by side would hide; None with fewer than two of a class."""
    if not _two_of_each(y):
        return None
    a_above, a_below = _placements(y, first)
    b_above, b_below = _placements(y, second)
    diff = float(a_above.mean() - b_above.mean())
    var = (a_above - b_above).var(ddof=1) / len(a_above) + (a_below - b_below).var(ddof=1) / len(a_below)
    if var <= 0:
        return 1.0 if diff == 0 else 0.0
    return float(2 * norm.sf(abs(diff) / np.sqrt(var)))


def label_metrics(
    truth: Sequence[float | None],
    scores: Sequence[float],
    threshold: float | None = None,
    reference: Sequence[float] | None = None,
) -> dict[str, Any]:
    """n, positives, ROC-AUC with its 95% interval and PR-AUC (None when a class is missing), precision/recall
    at a threshold; with `reference` (another scorer's scores for the same rows), the paired test's p-value."""
    if len(scores) != len(truth):
        raise ValueError(f"{len(scores)} scores for {len(truth)} labels")
    keep = [i for i, t in enumerate(truth) if t is not None]
    y = np.array([truth[i] for i in keep], dtype=np.int8)
    p = np.array([scores[i] for i in keep], dtype=np.float64)
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
    if reference is not None:
        p_value = roc_auc_difference_p(y, p, np.array([reference[i] for i in keep], dtype=np.float64))
        result["p_vs_model"] = None if p_value is None else round(p_value, 4)
    return result


def evaluate_scores(
    rows: Sequence[LabelledComment],
    scores: Sequence[dict[str, float]],
    labels: Sequence[str],
    thresholds: dict[str, float] | None = None,
    subgroup: str | None = None,
    reference: Sequence[dict[str, float]] | None = None,
) -> dict[str, Any]:
    """Metrics over all rows and per source: {"labels": {...}, "by_source": {source: {...}}}.

    With `reference` (the model's scores for the same rows, when these are a baseline's), each label also says
    how likely a difference this large would be if the two ranked equally well: `p_vs_model`.

    With `subgroup`, the rows of a source that carry that column in their source labels are also measured
    per value of it, as `source[column=value]` beside the whole source (`-` for an empty value)."""
    thresholds = thresholds or {}

    def block(indices: list[int]) -> dict[str, Any]:
        out = {}
        for label in labels:
            truth = [rows[i].labels.get(label) for i in indices]
            if all(t is None for t in truth) or label not in scores[indices[0]]:
                continue
            compared = [reference[i][label] for i in indices] if reference else None
            out[label] = label_metrics(truth, [scores[i][label] for i in indices], thresholds.get(label), compared)
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
