"""Training the clause heads: targets from the shared data and the newsroom's written examples, a small network
fitted on the encoder's cached features, and the development split the policy's thresholds are chosen on.

The written examples (`data/clauses/*.jsonl`: text, clause, violates, kind, script, and `threat` for
inflammatory rows) were written for training by people who had not seen the frozen test set; a stable hash of
each text sends 15% of them to the development split, never trained on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from moderation.scoring.clauses import CLAUSE_LABELS, ClauseHeads
from moderation.scoring.dataset import LabelledComment, hash_percentile, is_validation
from moderation.scoring.features import cached_features

log = logging.getLogger(__name__)

#: Share of the written examples kept for development (threshold choice, calibration), by text hash.
DEV_PERCENT = 15
#: The clause of a written row -> the head label it teaches.
CLAUSE_TO_LABEL = {"personal_attack": "personal_attack", "inflammatory": "inflammatory",
                   "defamatory": "defamation_risk", "obscene": "obscenity"}
#: Written rows count this many times a shared row: they are the newsroom's own line, and far fewer.
WRITTEN_WEIGHT = 3.0
#: A site's exported moderator decisions count as much as the written rows by default: both are a newsroom's line.
DECISIONS_WEIGHT = WRITTEN_WEIGHT
#: n-gram weights tried for each clause label (its logit beside the head's, weight 1), overall and per script.
#: Trained without one writer's file and measured on it, the mix ranked better than the head alone for every
#: clause and writer tried, most for romanised Hindi and Devanagari (docs/model.md, "Clause heads").
NGRAM_GRID = (0.0, 0.5, 1.0, 2.0)
#: Heads fitted with different seeds and averaged (one network with their hidden units side by side).
SEEDS = 3
#: Each head's hidden units and training epochs (with fewer of either, rounds left out held as many hard negatives or more;
#: docs/model.md, "Judging new writers").
HIDDEN = 256
EPOCHS = 40
#: Scripts whose mixing weights are chosen on their own rows of the development split, when it has enough.
SCRIPTS = ("hi-latn", "hi-deva")
MIN_SCRIPT_ROWS = 40


def normal_text(text: str) -> str:
    """A text as the splits and the frozen-set exclusion compare it: lower case, runs of spaces as one."""
    return " ".join(text.lower().split())


def frozen_texts(path: Path) -> list[str]:
    """The texts of a frozen case set (JSON Lines with `text`): never trained on, even by chance."""
    return [json.loads(line)["text"] for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass(frozen=True)
class Written:
    """One written example."""

    text: str
    clause: str
    violates: bool
    kind: str
    script: str
    threat: bool = False

    @property
    def is_dev(self) -> bool:
        return hash_percentile(normal_text(self.text)) < DEV_PERCENT

    def labels(self) -> dict[str, int | None]:
        """Targets for the clause labels (None: this row says nothing about that label)."""
        if not self.violates:  # a hard negative, or a benign comment: no clause is broken
            return dict.fromkeys(CLAUSE_LABELS, 0)
        labels: dict[str, int | None] = dict.fromkeys(CLAUSE_LABELS, None)
        labels[CLAUSE_TO_LABEL[self.clause]] = 1
        if self.clause == "inflammatory":
            labels["violent_threat"] = int(self.threat)
        if self.clause in ("personal_attack", "inflammatory"):
            labels["defamation_risk"] = 0
        return labels

    def as_comment(self) -> LabelledComment:
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]
        return LabelledComment(id=f"written:{digest}", source=f"written:{self.clause}", text=self.text,
                               labels=self.labels())


def read_written(paths: Iterable[Path]) -> list[Written]:
    """Every written example of the files, once per text (the first file's label wins)."""
    rows: dict[str, Written] = {}
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            raw = json.loads(line)
            if not isinstance(raw.get("violates"), bool) or not str(raw.get("text", "")).strip():
                raise ValueError(f"{path}:{number}: needs a text and a boolean 'violates'")
            row = Written(raw["text"], raw["clause"], raw["violates"], raw.get("kind", ""), raw.get("script", "en"),
                          bool(raw.get("threat", False)))
            rows.setdefault(normal_text(row.text), row)
    return list(rows.values())


def shared_targets(row: LabelledComment) -> dict[str, int | None]:
    """The clause labels a shared-data row implies: its sources annotated insults, identity attacks, threats and
    obscenity, not allegations (every clean row is taken as no allegation)."""
    labels = row.labels
    clean = labels.get("toxicity") == 0
    hate = labels.get("identity_attack") == 1 or labels.get("threat") == 1
    inflammatory = 1 if hate else (0 if labels.get("identity_attack") == 0 else None)
    return {"personal_attack": labels.get("insult"), "inflammatory": inflammatory,
            "violent_threat": labels.get("threat"), "defamation_risk": 0 if clean else None,
            "obscenity": labels.get("obscene")}


#: Share of a source's rows the heads train on (by id hash), where a source is large and says little about the
#: clauses: Davidson's tweets are mostly "offensive" without a target.
SOURCE_PERCENT = {"davidson2017": 40}


def select_shared(rows: Iterable[LabelledComment]) -> list[LabelledComment]:
    """The shared rows the heads learn from: outside the validation split, implying some clause target, and
    within their source's share (SOURCE_PERCENT)."""
    def kept(row: LabelledComment) -> bool:  # the id's second part: independent of the validation split
        return hash_percentile(row.id, part=1) < SOURCE_PERCENT.get(row.source, 100)

    return [r for r in rows if not is_validation(r.id) and any(v is not None for v in shared_targets(r).values())
            and kept(r)]


def target_matrix(rows: Sequence[dict[str, int | None]], labels: Sequence[str]) -> np.ndarray:
    """Targets as floats with NaN where unknown."""
    return np.array([[np.nan if r.get(label) is None else float(r[label]) for label in labels] for r in rows],
                    dtype=np.float32)


def fit_averaged_heads(features: np.ndarray, targets: np.ndarray, weights: np.ndarray, *, seed: int,
                       seeds: int = SEEDS, **settings: Any) -> ClauseHeads:
    """The mean of `seeds` heads' logits (each `fit_heads(..., **settings)`), as one network: their hidden units
    side by side, output weights divided by the count."""
    heads = [fit_heads(features, targets, weights, seed=seed + i, **settings) for i in range(seeds)]
    first = heads[0]
    return ClauseHeads(first.labels, first.mean, first.scale, np.hstack([h.w1 for h in heads]),
                       np.concatenate([h.b1 for h in heads]), np.vstack([h.w2 for h in heads]) / seeds,
                       np.mean([h.b2 for h in heads], axis=0))


def fit_heads(features: np.ndarray, targets: np.ndarray, weights: np.ndarray, *, hidden: int = HIDDEN,
              epochs: int = EPOCHS, seed: int = 13, labels: tuple[str, ...] = CLAUSE_LABELS) -> ClauseHeads:
    """A one-hidden-layer network over standardised features, masked binary cross-entropy per label with each
    label's classes balanced, rows weighted by `weights`."""
    import torch

    torch.manual_seed(seed)
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-4
    x = torch.from_numpy((features - mean) / scale)
    y = torch.from_numpy(np.nan_to_num(targets, nan=0.0))
    known = torch.from_numpy(~np.isnan(targets)).float()
    positives = (y * known).sum(0)
    negatives = ((1 - y) * known).sum(0)
    pos_weight = (negatives / positives.clamp(min=1.0)).clamp(max=20.0)
    w = torch.from_numpy(weights.astype(np.float32)).unsqueeze(1)
    net = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(),
                              torch.nn.Dropout(0.2), torch.nn.Linear(hidden, len(labels)))
    optimiser = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        net.train()
        order = torch.randperm(len(x), generator=generator)
        total = 0.0
        for start in range(0, len(x), 256):
            batch = order[start : start + 256]
            loss_rows = torch.nn.functional.binary_cross_entropy_with_logits(
                net(x[batch]), y[batch], pos_weight=pos_weight, reduction="none")
            loss = (loss_rows * known[batch] * w[batch]).sum() / (known[batch] * w[batch]).sum().clamp(min=1.0)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(batch)
        log.debug("clause heads epoch %d loss %.4f", epoch, total / len(x))
    first, second = net[1], net[4]
    return ClauseHeads(labels, mean, scale, first.weight.detach().numpy().T.copy(), first.bias.detach().numpy(),
                       second.weight.detach().numpy().T.copy(), second.bias.detach().numpy())




def mix(head: np.ndarray, ngram: np.ndarray, weight: float) -> np.ndarray:
    """The ensemble's mixed logit for a clause label (`EnsembleScorer.score`, no profanity member)."""
    return (head + weight * ngram) / (1.0 + weight)


def _best_weight(head: np.ndarray, ngram: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import roc_auc_score

    if len(set(target.tolist())) < 2:
        return 0.0, float("nan")
    scored = [(roc_auc_score(target, mix(head, ngram, w)), -w, w) for w in NGRAM_GRID]
    auc, _, weight = max(scored)
    return weight, float(auc)


def choose_mixing(head: np.ndarray, ngram: np.ndarray, targets: np.ndarray, scripts: Sequence[str],
                  labels: Sequence[str]) -> dict[str, object]:
    """Per label on the development rows: the n-gram weight with the best ROC-AUC (overall, then per script where
    the script has enough rows of both classes), and a Platt calibration (a, b) of the mixed logit."""
    from sklearn.linear_model import LogisticRegression

    weights: dict[str, dict[str, float]] = {}
    by_script: dict[str, dict[str, dict[str, float]]] = {}
    calibration: dict[str, list[float]] = {}
    report: dict[str, dict[str, float]] = {}
    script_arr = np.array(scripts)
    for j, label in enumerate(labels):
        known = ~np.isnan(targets[:, j])
        target = targets[known, j]
        weight, auc = _best_weight(head[known, j], ngram[known, j], target)
        weights[label] = {"ngram": weight, "profanity": 0.0}
        report[label] = {"dev_rows": int(known.sum()), "dev_positives": int(target.sum()), "dev_roc_auc": auc}
        chosen = np.full(len(head), weight)
        for script in SCRIPTS:
            rows = known & (script_arr == script)
            if rows.sum() >= MIN_SCRIPT_ROWS and len(set(targets[rows, j].tolist())) == 2:
                w_script, _ = _best_weight(head[rows, j], ngram[rows, j], targets[rows, j])
                by_script.setdefault(script, {})[label] = {"ngram": w_script}
                chosen[rows] = w_script
        z = mix(head[known, j], ngram[known, j], chosen[known])
        platt = LogisticRegression(C=100.0).fit(z.reshape(-1, 1), target)
        calibration[label] = [round(float(platt.coef_[0][0]), 4), round(float(platt.intercept_[0]), 4)]
    return {"weights": weights, "by_script": by_script, "calibration": calibration, "report": report}


def _refit_ngram(labels: Sequence[str], shared: Sequence[LabelledComment], clause_rows: Sequence[LabelledComment],
                 held_out: set[str], max_features: int, seed: int) -> Any:
    """The n-gram member fitted again, one vocabulary over the shared rows outside the validation split and the
    written ones: its own `labels` on the shared rows (as `flask moderation train` fits them), the clause labels
    on `clause_rows`."""
    from moderation.scoring.ngram import TfidfLogistic

    own = [label for label in labels if label not in CLAUSE_LABELS]
    clause_labels = {r.text: r.labels for r in clause_rows}
    base = [LabelledComment(r.id, r.source, r.text,
                            {**{k: v for k, v in r.labels.items() if k in own}, **clause_labels.pop(r.text, {})})
            for r in shared if not is_validation(r.id) and normal_text(r.text) not in held_out]
    written = [r for r in clause_rows if r.text in clause_labels]  # the rows not already among the shared ones
    ngram = TfidfLogistic((*own, *CLAUSE_LABELS), max_features=max_features, seed=seed).fit(base + written)
    lost = [label for label in own if label not in ngram.fitted_labels]
    if lost:
        raise ValueError(f"the shared data has no positive and negative examples of {', '.join(lost)}: "
                         "the n-gram member cannot be fitted anew without them")
    return ngram


def training_rows(shared: Iterable[LabelledComment], written: Sequence[Written],
                  held_out: set[str]) -> tuple[list[LabelledComment], int]:
    """The heads' training rows: the shared rows that teach them (`select_shared`) with their clause targets, then
    the written rows outside the development split; texts in `held_out` (normalised) left out. Also how many of the
    rows are shared (the first ones; the written rest count WRITTEN_WEIGHT or what a caller chooses)."""
    shared_rows = [LabelledComment(r.id, r.source, r.text, shared_targets(r)) for r in select_shared(shared)
                   if normal_text(r.text) not in held_out]
    written_rows = [w.as_comment() for w in written if not w.is_dev and normal_text(w.text) not in held_out]
    return shared_rows + written_rows, len(shared_rows)


def train_clauses(features: Callable[[Sequence[str]], np.ndarray], shared: Sequence[LabelledComment],
                  written: Sequence[Written], out_dir: Path, cache: Path, *, exclude: Iterable[str] = (),
                  decisions: Sequence[LabelledComment] = (), decisions_weight: float = DECISIONS_WEIGHT,
                  seed: int = 13, refit_vocabulary: bool = False,
                  echo: Callable[[str], None] = log.info) -> dict[str, Any]:
    """Fit the clause heads, and the clause labels of the n-gram member on its own vocabulary, on the shared rows
    outside the validation split and the written rows outside the development split, less any text in `exclude`
    (the frozen test set); choose their mixing and calibration on the development split; write clauses.npz, the
    extended ngram.npz and their entries in ensemble.json under `out_dir`. Returns the report.

    `decisions` (a site's exported moderator decisions, `dataset.read_decisions`) join the training rows only, each
    weighted `decisions_weight`, with the clause-head labels they carry: never the development split, so a round
    with decisions is chosen and calibrated by the same rows as one without.

    With `refit_vocabulary` the n-gram member is fitted anew, its vocabulary drawn from the shared training rows
    and the written ones (romanised Hindi and Devanagari words the shared data lacks): every label it had, on the
    rows that carry it, and the clause labels as above."""
    from moderation.scoring.bundled import ENSEMBLE_NAME, HEADS_NAME, sha256_file
    from moderation.scoring.ensemble import NGRAM_NAME
    from moderation.scoring.ngram import TfidfLogistic

    held_out = {normal_text(t) for t in exclude}
    rows, shared_count = training_rows(shared, written, held_out)
    dev = [w for w in written if w.is_dev and normal_text(w.text) not in held_out]
    decided = [LabelledComment(r.id, r.source, r.text, {label: r.labels.get(label) for label in CLAUSE_LABELS})
               for r in decisions if normal_text(r.text) not in held_out]
    decided = [r for r in decided if any(v is not None for v in r.labels.values())]
    echo(f"training rows: {shared_count} shared, {len(rows) - shared_count} written, {len(decided)} decisions; "
         f"development rows: {len(dev)}")
    weights = np.array([1.0] * shared_count + [WRITTEN_WEIGHT] * (len(rows) - shared_count)
                       + [decisions_weight] * len(decided))
    rows += decided
    echo("encoder features (cached between runs)")
    x = cached_features(features, [r.text for r in rows], cache)
    targets = target_matrix([r.labels for r in rows], CLAUSE_LABELS)
    echo("fitting the clause heads")
    heads = fit_averaged_heads(x, targets, weights, seed=seed)
    spec_path = out_dir / ENSEMBLE_NAME
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    ngram = TfidfLogistic.load(out_dir / NGRAM_NAME)
    if refit_vocabulary:
        echo("fitting the n-gram member on a vocabulary of the shared and written rows")
        ngram = _refit_ngram(ngram.fitted_labels, shared, rows, held_out, int(spec.get("ngram_max_features", 50_000)),
                             seed)
    else:
        echo("fitting the clause labels of the n-gram member")
        ngram.add_labels(rows, CLAUSE_LABELS)
    heads.save(out_dir / HEADS_NAME)
    ngram.save(out_dir / NGRAM_NAME)

    dev_texts = [w.text for w in dev]
    dev_targets = target_matrix([w.labels() for w in dev], CLAUSE_LABELS)
    head_logits = heads.logits(cached_features(features, dev_texts, cache))
    columns = [ngram.fitted_labels.index(label) for label in CLAUSE_LABELS]
    ngram_logits = ngram.logits(dev_texts)[:, columns]
    chosen = choose_mixing(head_logits, ngram_logits, dev_targets, [w.script for w in dev], CLAUSE_LABELS)

    spec["weights"].update(chosen["weights"])
    for script, labels in chosen["by_script"].items():
        spec.setdefault("by_script", {}).setdefault(script, {}).update(labels)
    spec["calibration"] = chosen["calibration"]
    spec.update(heads_sha256=sha256_file(out_dir / HEADS_NAME), ngram_sha256=sha256_file(out_dir / NGRAM_NAME))
    spec_path.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return chosen["report"]
