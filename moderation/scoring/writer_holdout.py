"""How the clause heads judge writers they never learnt from: leave one round of written examples out, fit the heads
on the shared rows and the other rounds, and score the round left out.

The development split shares its writers with the training rows (a hash of each text sends it there), so it
flatters whatever fits those writers' habits; a round's writers are new to heads fitted without it, as the frozen
test set's writers are new to the committed heads. A choice that helps only on the development split (say, weighting
the written rows more) shows up here as no help, or as harm.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moderation.scoring.clause_training import (
    CLAUSE_TO_LABEL,
    Written,
    fit_averaged_heads,
    normal_text,
    read_written,
    target_matrix,
    training_rows,
)
from moderation.scoring.clauses import CLAUSE_LABELS
from moderation.scoring.dataset import LabelledComment
from moderation.scoring.features import cached_features

#: Share of the held-out round's violations the operating point holds, where its hard negatives are counted.
RECALL = 0.9
#: A clause is reported when the held-out round has at least this many of its violations and hard negatives.
MIN_ROWS = 20


@dataclass(frozen=True)
class ClauseFigures:
    """One clause on the held-out round: its violations, its hard negatives (allowed rows written for that clause;
    for threats, every allowed row), ROC-AUC of the head's logit against every allowed row of the round, and the
    share of hard negatives at or above the logit that holds RECALL of the violations."""

    violations: int
    hard_negatives: int
    roc_auc: float
    hard_negatives_held: float


def split_round(paths: Sequence[Path], prefix: str) -> tuple[list[Path], list[Path]]:
    """The written files not of the round, and those whose names start with `prefix` (the round left out)."""
    held = [p for p in paths if p.name.startswith(prefix)]
    if not held:
        raise ValueError(f"no written file's name starts with {prefix!r}")
    return [p for p in paths if not p.name.startswith(prefix)], held


def holdout_figures(features: Callable[[Sequence[str]], np.ndarray], shared: Sequence[LabelledComment],
                    paths: Sequence[Path], prefix: str, cache: Path, *, written_weights: Sequence[float],
                    exclude: Sequence[str] = (), seed: int = 13, seeds: int = 1,
                    **settings: int) -> dict[float, dict[str, ClauseFigures]]:
    """For each written weight: heads fitted (`fit_heads` with `settings`: epochs, hidden) on the shared rows and the
    training split of the other rounds' files, scored on every row of the round's files (`split_round`); texts of
    `exclude` (the frozen test set) and any text of the round are never trained on."""
    rest, round_paths = split_round(paths, prefix)
    held_out = {normal_text(t) for t in exclude}
    scored = [w for w in read_written(round_paths) if normal_text(w.text) not in held_out]
    held_out |= {normal_text(w.text) for w in scored}
    rows, shared_count = training_rows(shared, read_written(rest), held_out)
    x = cached_features(features, [r.text for r in rows], cache)
    targets = target_matrix([r.labels for r in rows], CLAUSE_LABELS)
    round_x = cached_features(features, [w.text for w in scored], cache)
    figures: dict[float, dict[str, ClauseFigures]] = {}
    for weight in written_weights:
        row_weights = np.array([1.0] * shared_count + [weight] * (len(rows) - shared_count))
        heads = fit_averaged_heads(x, targets, row_weights, seed=seed, seeds=seeds, **settings)
        figures[weight] = clause_figures(scored, heads.logits(round_x))
    return figures


def clause_figures(rows: Sequence[Written], logits: np.ndarray) -> dict[str, ClauseFigures]:
    """Each clause's figures (`ClauseFigures`) for scored rows and their heads' logits (CLAUSE_LABELS columns)."""
    from sklearn.metrics import roc_auc_score

    allowed = np.array([not w.violates for w in rows])
    checks = {clause: (label, np.array([w.violates and w.clause == clause for w in rows]),
                       allowed & np.array([w.clause == clause for w in rows]))
              for clause, label in CLAUSE_TO_LABEL.items()}
    checks["threat"] = ("violent_threat", np.array([w.violates and w.threat for w in rows]), allowed)
    figures: dict[str, ClauseFigures] = {}
    for clause, (label, violations, hard) in checks.items():
        if violations.sum() < MIN_ROWS or hard.sum() < MIN_ROWS:
            continue
        logit = logits[:, CLAUSE_LABELS.index(label)]
        line = np.quantile(logit[violations], 1.0 - RECALL)
        truth = np.r_[np.ones(violations.sum()), np.zeros(allowed.sum())]
        figures[clause] = ClauseFigures(
            violations=int(violations.sum()), hard_negatives=int(hard.sum()),
            roc_auc=float(roc_auc_score(truth, np.r_[logit[violations], logit[allowed]])),
            hard_negatives_held=float((logit[hard] >= line).mean()))
    return figures
