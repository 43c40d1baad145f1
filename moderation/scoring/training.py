"""Fine-tuning the bundled model: the MiniLM encoder with a multi-label head, masked BCE.

Everything but the word-embedding matrix is trained; only the trained tensors are exported
(as float16 safetensors), the frozen embeddings come from the encoder package at assembly time.
A later stage can start from exported weights and train only a low-rank (LoRA) update of the
encoder's dense layers plus a new head: its export is a small delta, merged at assembly.
Training checkpoints as it goes and resumes from the last checkpoint when run again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import save_file
from tqdm import tqdm
from transformers import BertForSequenceClassification, BertTokenizerFast

from moderation.scoring import dataset, metrics
from moderation.scoring.cpu import native_bfloat16
from moderation.scoring.encoder import ENCODER_PACKAGE, base_encoder_dir
from moderation.scoring.labels import BUNDLED_LABELS

log = logging.getLogger(__name__)

FROZEN = ("bert.embeddings.word_embeddings.weight",)
LORA_TARGETS = ["query", "key", "value", "dense"]  # every linear layer of the encoder (and the pooler)
LORA_ALPHA_PER_RANK = 2  # the low-rank update is scaled by alpha / rank


@dataclass
class TrainConfig:
    """What a training run does; the fingerprint of these fields guards resuming."""

    data: str
    out_dir: str
    checkpoint_dir: str
    device: str = "cpu"
    epochs: int = 3
    lr: float = 5e-5
    batch_size: int = 32
    max_length: int = 128
    warmup: float = 0.06
    weight_decay: float = 0.01
    seed: int = 13
    limit: int | None = None
    source_weights: dict[str, int] = field(default_factory=dict)
    soft_labels: bool = False  # train on the annotators' agreement where a source publishes it
    base_weights: str | None = None  # start from these exported weights (a directory with a manifest)
    lora_rank: int = 0  # > 0: train a low-rank update of the dense layers and a new head, nothing else
    checkpoint_every: int = 200
    #: Moderator decisions (`flask moderation export-decisions`) added to the training split only, each row
    #: repeated `decisions_weight` times per epoch.
    decisions: list[str] = field(default_factory=list)
    decisions_weight: int = 2
    #: The newsroom's written examples (`data/clauses`), outside their development split and the texts in
    #: `exclude` (the frozen test set), taught to the encoder's labels as decisions are, each repeated
    #: `written_weight` times per epoch.
    written: str | None = None
    written_weight: int = 1
    exclude: str | None = None

    def fingerprint(self) -> str:
        """Hash of the fields that shape the result (not where files go); runs without decisions or written
        examples keep the fingerprint they had before those could be added."""
        skip = {"out_dir", "checkpoint_dir", "checkpoint_every"} | (set() if self.decisions else {"decisions", "decisions_weight"})
        skip |= set() if self.written else {"written", "written_weight", "exclude"}
        keep = {k: v for k, v in asdict(self).items() if k not in skip}
        return hashlib.sha256(json.dumps(keep, sort_keys=True).encode()).hexdigest()[:16]


def build_model(num_labels: int, base_weights: str | None = None, lora_rank: int = 0) -> torch.nn.Module:
    """A sequence classifier on the packaged encoder: head freshly initialised, or everything as exported to
    `base_weights` (the exported tensors themselves, or with `lora_rank`, a LoRA on top of them)."""
    model = BertForSequenceClassification.from_pretrained(
        base_encoder_dir(),
        num_labels=num_labels,
        problem_type="multi_label_classification",
        dtype=torch.float32,  # train in float32 whatever the encoder was stored in
        local_files_only=True,
    )
    if base_weights:
        from moderation.scoring.bundled import merged_weights

        model.load_state_dict(merged_weights(Path(base_weights)), strict=False)
    if lora_rank:
        from peft import LoraConfig, get_peft_model

        lora = LoraConfig(r=lora_rank, lora_alpha=LORA_ALPHA_PER_RANK * lora_rank, lora_dropout=0.1,
                          target_modules=LORA_TARGETS, modules_to_save=["classifier"])
        return get_peft_model(model, lora)
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name not in FROZEN
    return model


def _trainable_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The tensors training changes, named as in the model: everything but the frozen embeddings, or the LoRA
    factors and the head."""
    state = model.state_dict()
    if any("lora_" in k for k in state):
        return {k: v for k, v in state.items() if "lora_" in k or "modules_to_save" in k}
    return {k: v for k, v in state.items() if k not in FROZEN and not k.endswith("position_ids")}


def trained_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The trained tensors under the plain model's names; LoRA factors as `<layer>.lora_A.weight` and
    `<layer>.lora_B.weight`, so that `bundled` merges them without peft."""
    return {
        k.removeprefix("base_model.model.").replace(".default", "").replace("modules_to_save.", ""): v
        for k, v in _trainable_state(model).items()
    }


def _batches(lengths: Sequence[int], batch_size: int, seed: int) -> list[list[int]]:
    """Shuffled batches of similar-length rows (less padding), deterministic for a seed."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    group = batch_size * 50
    batches = []
    for start in range(0, len(order), group):
        chunk = sorted(order[start : start + group], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def _collate(ids: Sequence[list[int]], device: str) -> dict[str, torch.Tensor]:
    width = max(len(x) for x in ids)
    input_ids = torch.zeros((len(ids), width), dtype=torch.long)
    mask = torch.zeros((len(ids), width), dtype=torch.long)
    for row, tokens in enumerate(ids):
        input_ids[row, : len(tokens)] = torch.tensor(tokens)
        mask[row, : len(tokens)] = 1
    return {"input_ids": input_ids.to(device), "attention_mask": mask.to(device)}


@torch.inference_mode()
def predict(model: torch.nn.Module, ids: Sequence[list[int]], device: str, batch_size: int = 128) -> np.ndarray:
    """Sigmoid scores for pre-tokenised rows, in input order."""
    model.eval()
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    out = np.zeros((len(ids), model.config.num_labels), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        with _autocast(device):
            logits = model(**_collate([ids[i] for i in chunk], device)).logits
        out[chunk] = torch.sigmoid(logits.float()).cpu().numpy()
    return out


def _autocast(device: str) -> torch.autocast:
    """bfloat16 mixed precision on a GPU, and on a CPU that multiplies bfloat16 natively (about 1.7x faster
    training steps there); float32 elsewhere."""
    kind = device.split(":")[0]
    enabled = kind == "cuda" or (kind == "cpu" and native_bfloat16())
    return torch.autocast(device_type=kind, dtype=torch.bfloat16, enabled=enabled)


def _save_atomic(obj: Any, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _summary(result: dict[str, Any]) -> float:
    """Mean ROC-AUC over (source, label) pairs with at least 10 positives: the selection figure."""
    values = [
        m["roc_auc"]
        for per_label in result["by_source"].values()
        for m in per_label.values()
        if m["roc_auc"] is not None and m["positives"] >= 10
    ]
    return float(np.mean(values)) if values else float("nan")


#: What a moderator's word on a clause head teaches the encoder's own labels: a removal for a personal attack is
#: an insult, an approval says the comment is none of these.
DECISION_LABELS = {"personal_attack": "insult", "obscenity": "obscene", "violent_threat": "threat",
                   "inflammatory": "identity_attack"}


def decision_rows(path: str | Path) -> list[dataset.LabelledComment]:
    """Exported moderator decisions as training rows on the encoder's labels (rows that say nothing are left out)."""
    rows = []
    for row in dataset.read_decisions(path):
        labels = _encoder_labels(row.labels)
        if any(value is not None for value in labels.values()):
            rows.append(dataset.LabelledComment(row.id, row.source, row.text, {**row.labels, **labels},
                                                row.source_labels))
    return rows


def _encoder_labels(heads: dict[str, int | None]) -> dict[str, int | None]:
    """What a word on the clause heads says about the encoder's own labels (DECISION_LABELS)."""
    return {DECISION_LABELS[head]: value for head, value in heads.items() if head in DECISION_LABELS}


def written_rows(written_dir: str | Path, exclude: str | Path | None = None) -> list[dataset.LabelledComment]:
    """The written examples outside their development split (and any text of the frozen case set `exclude`) as
    training rows on the encoder's labels: a violation of a clause is a 1 for its label, an allowed comment a 0 for
    every one of them."""
    from moderation.scoring.clause_training import frozen_texts, normal_text, read_written

    excluded = {normal_text(t) for t in frozen_texts(Path(exclude))} if exclude else set()
    rows = []
    for w in read_written(sorted(Path(written_dir).glob("*.jsonl"))):
        if w.is_dev or normal_text(w.text) in excluded:
            continue
        labels = _encoder_labels(w.labels())
        if any(value is not None for value in labels.values()):
            comment = w.as_comment()
            rows.append(dataset.LabelledComment(comment.id, comment.source, comment.text, labels))
    return rows


def training_rows(
    cfg: TrainConfig,
) -> tuple[list[dataset.LabelledComment], list[dataset.LabelledComment], list[dataset.LabelledComment]]:
    """(weighted training rows, validation rows, training rows before weighting). Decisions join the training
    rows only: never the validation split, so the figures a run is chosen by stay comparable with earlier runs."""
    rows = list(dataset.read_jsonl(cfg.data))
    if cfg.limit:
        rows = rows[: cfg.limit]
    train_rows, val_rows = dataset.split(rows)
    decided = [r for path in cfg.decisions for r in decision_rows(path)]
    weighted = [r for r in train_rows for _ in range(cfg.source_weights.get(r.source, 1))]
    weighted += [r for r in decided for _ in range(cfg.decisions_weight)]
    written = written_rows(cfg.written, cfg.exclude) if cfg.written else []
    weighted += [r for r in written for _ in range(cfg.written_weight)]
    return weighted, val_rows, [*train_rows, *decided, *written]


def train(cfg: TrainConfig, progress: bool = True, echo: Callable[[str], None] = log.info) -> dict[str, Any]:
    """Train, validating after each epoch; export the trained tensors and a manifest. Returns the manifest."""
    if cfg.lora_rank and not cfg.base_weights:
        raise ValueError("a LoRA stage starts from exported weights: give their directory")
    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)
    labels = list(BUNDLED_LABELS)
    weighted, val_rows, train_rows = training_rows(cfg)
    echo(f"{len(weighted)} training rows ({len(train_rows)} before weighting), {len(val_rows)} validation rows")

    tokenizer = BertTokenizerFast.from_pretrained(base_encoder_dir(), local_files_only=True)

    def encode(batch: list[dataset.LabelledComment]) -> list[list[int]]:
        return tokenizer([r.text for r in batch], truncation=True, max_length=cfg.max_length)["input_ids"]

    train_ids, val_ids = encode(weighted), encode(val_rows)
    targets = torch.tensor([[-1.0 if v is None else v for v in r] for r in dataset.label_matrix(weighted, labels, soft=cfg.soft_labels)])

    model = build_model(len(labels), cfg.base_weights, cfg.lora_rank).to(cfg.device)
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.ndim > 1]
    no_decay = [p for p in params if p.ndim <= 1]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=cfg.lr
    )
    steps_per_epoch = math.ceil(len(train_ids) / cfg.batch_size)
    total = steps_per_epoch * cfg.epochs
    warm = max(1, int(total * cfg.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )

    ckpt_dir = Path(cfg.checkpoint_dir)
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    ckpt_path = ckpt_dir / "last.pt"
    history: list[dict[str, Any]] = []
    epoch, step_in_epoch = 0, 0
    if ckpt_path.exists():
        state = torch.load(ckpt_path, map_location=cfg.device, weights_only=False)
        if state["fingerprint"] == cfg.fingerprint():
            model.load_state_dict(state["model"], strict=False)
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            epoch, step_in_epoch, history = state["epoch"], state["step_in_epoch"], state["history"]
            torch.set_rng_state(state["torch_rng"])
            echo(f"resuming from {ckpt_path}: epoch {epoch + 1}, step {step_in_epoch}")
        else:
            echo(f"ignoring {ckpt_path}: it belongs to a run with other settings")

    def checkpoint(next_epoch: int, next_step: int) -> None:
        _save_atomic(
            {
                "fingerprint": cfg.fingerprint(),
                "model": _trainable_state(model),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "epoch": next_epoch,
                "step_in_epoch": next_step,
                "history": history,
                "torch_rng": torch.get_rng_state(),
            },
            ckpt_path,
        )

    started = time.monotonic()
    while epoch < cfg.epochs:
        model.train()
        batches = _batches([len(x) for x in train_ids], cfg.batch_size, cfg.seed + epoch)
        bar = tqdm(total=len(batches), initial=step_in_epoch, desc=f"epoch {epoch + 1}/{cfg.epochs}", disable=not progress)
        running = 0.0
        for step in range(step_in_epoch, len(batches)):
            batch = batches[step]
            inputs = _collate([train_ids[i] for i in batch], cfg.device)
            y = targets[batch].to(cfg.device)
            mask = (y >= 0).float()
            with _autocast(cfg.device):
                logits = model(**inputs).logits.float()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y.clamp(min=0), reduction="none")
            loss = (loss * mask).sum() / mask.sum().clamp(min=1)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            running = 0.98 * running + 0.02 * loss.item() if step > step_in_epoch else loss.item()
            bar.set_postfix(loss=f"{running:.4f}")
            bar.update(1)
            if (step + 1) % cfg.checkpoint_every == 0:
                checkpoint(epoch, step + 1)
        bar.close()
        scores = predict(model, val_ids, cfg.device)
        result = metrics.evaluate_scores(val_rows, [dict(zip(labels, s.tolist(), strict=True)) for s in scores], labels)
        history.append({"epoch": epoch + 1, "summary_roc_auc": _summary(result), "validation": result})
        echo(f"epoch {epoch + 1}: mean validation ROC-AUC {_summary(result):.4f}")
        epoch, step_in_epoch = epoch + 1, 0
        checkpoint(epoch, 0)

    _write_validation_scores(ckpt_dir / "validation-scores.jsonl", val_rows, predict(model, val_ids, cfg.device), labels)
    manifest = export(model, cfg, labels, history, time.monotonic() - started)
    if not cfg.lora_rank:
        echo("fitting the n-gram member of the ensemble")
        train_ngram(train_rows, labels, Path(cfg.out_dir), cfg.seed)
    return manifest


def train_ngram(rows: Sequence[dataset.LabelledComment], labels: Sequence[str], out_dir: Path, seed: int) -> None:
    """Fit the ensemble's n-gram model on the training rows and record its sha256 in ensemble.json.

    A directory without an ensemble.json gets the bundled model's mixing weights and word lists (the project's
    choice, documented in docs/model.md), so weights trained elsewhere mix as the shipped model does; the clause
    heads, fitted on the old encoder's features, are left out until `train-clauses` fits them again.
    """
    from moderation.scoring.bundled import WEIGHTS_DIR, sha256_file
    from moderation.scoring.ensemble import ENSEMBLE_NAME, NGRAM_NAME
    from moderation.scoring.ngram import TfidfLogistic

    spec_path = out_dir / ENSEMBLE_NAME
    spec = json.loads((spec_path if spec_path.exists() else WEIGHTS_DIR / ENSEMBLE_NAME).read_text(encoding="utf-8"))
    spec["weights"] = {label: spec["weights"].get(label, {"ngram": 0.0, "profanity": 0.0}) for label in labels}
    # Clause heads read this encoder's features: a new encoder needs `flask moderation train-clauses` again.
    spec["by_script"] = {script: {label: w for label, w in mix.items() if label in labels}
                         for script, mix in spec.get("by_script", {}).items()}
    for key in ("heads_sha256", "calibration"):
        spec.pop(key, None)
    max_features = int(spec.get("ngram_max_features", 50_000))
    TfidfLogistic(labels, max_features=max_features, seed=seed).fit(rows).save(out_dir / NGRAM_NAME)
    spec.update(ngram_sha256=sha256_file(out_dir / NGRAM_NAME), ngram_max_features=max_features)
    spec_path.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")


def _write_validation_scores(
    path: Path, rows: Sequence[dataset.LabelledComment], scores: np.ndarray, labels: Sequence[str]
) -> None:
    """Keep the final model's validation scores beside the checkpoints, for comparing and combining models."""
    with open(path, "w", encoding="utf-8") as handle:
        for row, values in zip(rows, scores, strict=True):
            handle.write(json.dumps({"id": row.id, "scores": dict(zip(labels, map(float, values), strict=True))}) + "\n")


def export(
    model: torch.nn.Module, cfg: TrainConfig, labels: list[str], history: list[dict[str, Any]], seconds: float
) -> dict[str, Any]:
    """Write the trained tensors (float16 safetensors) and a manifest with their sha256 and metrics.

    A LoRA stage writes its factors and head beside a copy of the weights it started from, and adds them to
    that manifest under `lora`; the n-gram member and the mixing weights are the starting point's too.
    """
    from moderation.scoring.bundled import (
        LORA_NAME,
        MANIFEST_NAME,
        WEIGHTS_NAME,
        merged_weights,
        read_manifest,
        sha256_file,
    )
    from moderation.scoring.ensemble import ENSEMBLE_NAME, NGRAM_NAME

    out = Path(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in trained_state(model).items()}
    record = {
        "training": {**asdict(cfg), "data": Path(cfg.data).name, "out_dir": None, "checkpoint_dir": None},
        "training_seconds": round(seconds, 1),
        "validation": history[-1] if history else None,
        "history": [{"epoch": h["epoch"], "summary_roc_auc": h["summary_roc_auc"]} for h in history],
    }
    if cfg.lora_rank and cfg.base_weights:
        base = Path(cfg.base_weights)
        manifest = read_manifest(base)
        names = (WEIGHTS_NAME, ENSEMBLE_NAME, NGRAM_NAME)
        if "lora" in manifest:  # the new stage starts from the base with its LoRA merged in: that is its base now
            merged = {k: v.to(torch.float16).contiguous() for k, v in merged_weights(base).items()}
            save_file(merged, str(out / WEIGHTS_NAME))
            del manifest["lora"]
            manifest["weights_sha256"] = sha256_file(out / WEIGHTS_NAME)
            names = (ENSEMBLE_NAME, NGRAM_NAME)
        for name in names:
            if (base / name).resolve() != (out / name).resolve():
                shutil.copyfile(base / name, out / name)
        save_file(tensors, str(out / LORA_NAME))
        lora_sha = sha256_file(out / LORA_NAME)
        manifest.update(
            version=hashlib.sha256((manifest["weights_sha256"] + lora_sha).encode()).hexdigest()[:12],
            max_length=cfg.max_length,
            lora={"file": LORA_NAME, "sha256": lora_sha, "rank": cfg.lora_rank, "scale": LORA_ALPHA_PER_RANK, **record},
        )
    else:
        save_file(tensors, str(out / WEIGHTS_NAME))
        weights_sha = sha256_file(out / WEIGHTS_NAME)
        manifest = {
            "name": "bundled-minilm",
            "version": weights_sha[:12],
            "labels": labels,
            "max_length": cfg.max_length,
            "weights_sha256": weights_sha,
            "base_encoder": {
                "package": ENCODER_PACKAGE, "file": "model.safetensors",
                "sha256": sha256_file(base_encoder_dir() / "model.safetensors"),
            },
            **record,
        }
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest
