"""The bundled model: committed trained tensors + the packaged encoder, assembled into a detoxify checkpoint.

The repository holds only what training changed (float16 safetensors: ~22 MB from the first stage, ~1.4 MB of
LoRA factors and head from the second) and a manifest with their sha256.
On first use the full checkpoint is assembled into a cache directory together with the config and tokenizer
files detoxify needs to load it offline; its sha256 is recorded then and checked before every `torch.load`.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moderation.errors import ModelIntegrityError
from moderation.scoring.clauses import ClauseHeads
from moderation.scoring.encoder import TOKENIZER_FILES, base_encoder_dir

log = logging.getLogger(__name__)

WEIGHTS_NAME = "minilm-toxic.safetensors"
LORA_NAME = "minilm-toxic-lora.safetensors"
MANIFEST_NAME = "minilm-toxic.json"
#: The ensemble's spec (members' weights and hashes, read by ensemble.EnsembleScorer) and the clause heads
#: it names, both written by `flask moderation train-clauses`.
ENSEMBLE_NAME = "ensemble.json"
HEADS_NAME = "clauses.npz"
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
CHECKPOINT_NAME = "checkpoint.ckpt"


@dataclass(frozen=True)
class Assembled:
    """Where the assembled model lives: the checkpoint file and its config/tokenizer directory."""

    checkpoint: Path
    config_dir: Path
    name: str
    version: str
    max_length: int


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(weights_dir: Path = WEIGHTS_DIR) -> dict[str, Any]:
    """The committed manifest: name, version, labels, sha256 of the weights, training settings and metrics."""
    manifest: dict[str, Any] = json.loads((weights_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    return manifest


def _verify(path: Path, expected: str, what: str) -> None:
    actual = sha256_file(path)
    if actual != expected:
        raise ModelIntegrityError(f"{what} {path} has sha256 {actual}, expected {expected}")


def assemble(cache_dir: Path, weights_dir: Path = WEIGHTS_DIR) -> Assembled:
    """Return the assembled checkpoint, building it on first use; every file is hash-checked."""
    manifest = read_manifest(weights_dir)
    target = Path(cache_dir) / f"{manifest['name']}-{manifest['version']}"
    checkpoint = target / CHECKPOINT_NAME
    recorded = target / (CHECKPOINT_NAME + ".sha256")
    result = Assembled(checkpoint, target, manifest["name"], manifest["version"], int(manifest["max_length"]))
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    # Several worker processes may start at once on an empty cache: one builds, the others wait for it.
    with open(Path(cache_dir) / ".assemble.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (checkpoint.exists() and recorded.exists()):
            _build(manifest, weights_dir, target)
    _verify(checkpoint, recorded.read_text().strip(), "assembled checkpoint")
    return result


def merged_weights(weights_dir: Path) -> dict[str, Any]:
    """The trained tensors (float32, hash-checked), with the manifest's LoRA stage, if any, merged in: each
    `<layer>.lora_A/B.weight` pair adds scale * B @ A to `<layer>.weight`; its other tensors replace their
    namesakes (the new head)."""
    from safetensors.torch import load_file

    manifest = read_manifest(weights_dir)
    _verify(weights_dir / WEIGHTS_NAME, manifest["weights_sha256"], "trained weights")
    state = {k: v.float() for k, v in load_file(str(weights_dir / WEIGHTS_NAME)).items()}
    lora = manifest.get("lora")
    if lora:
        _verify(weights_dir / lora["file"], lora["sha256"], "LoRA weights")
        delta = {k: v.float() for k, v in load_file(str(weights_dir / lora["file"])).items()}
        for key, value in delta.items():
            if ".lora_A." in key:
                layer = key.removesuffix(".lora_A.weight")
                state[f"{layer}.weight"] += lora["scale"] * (delta[f"{layer}.lora_B.weight"] @ value)
            elif ".lora_B." not in key:
                state[key] = value
    return state


def clause_heads(weights_dir: Path = WEIGHTS_DIR) -> Callable[[], ClauseHeads] | None:
    """Where the weights carry clause heads (named with their sha256 in the ensemble spec): a loader that reads
    them, hash-checked, when the scorer loads."""
    spec = json.loads((weights_dir / ENSEMBLE_NAME).read_text(encoding="utf-8")) \
        if (weights_dir / ENSEMBLE_NAME).is_file() else {}
    expected = spec.get("heads_sha256")
    if not expected:
        return None

    def load() -> ClauseHeads:
        _verify(weights_dir / HEADS_NAME, expected, "clause heads")
        return ClauseHeads.load(weights_dir / HEADS_NAME)

    return load


def _build(manifest: dict[str, Any], weights_dir: Path, target: Path) -> None:
    import torch
    from safetensors.torch import load_file

    encoder = base_encoder_dir()
    base = manifest.get("base_encoder")
    if base:
        _verify(encoder / base["file"], base["sha256"], "base encoder")
    log.info("assembling %s %s into %s", manifest["name"], manifest["version"], target)

    state = {f"bert.{k}": v for k, v in load_file(str(encoder / "model.safetensors")).items() if "position_ids" not in k}
    state.update(merged_weights(weights_dir))
    labels = list(manifest["labels"])

    work = target.with_name(target.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = json.loads((encoder / "config.json").read_text(encoding="utf-8"))
    config.update(
        architectures=["BertForSequenceClassification"],
        num_labels=len(labels),
        id2label={str(i): label for i, label in enumerate(labels)},
        label2id={label: i for i, label in enumerate(labels)},
        problem_type="multi_label_classification",
    )
    (work / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    for name in TOKENIZER_FILES:
        shutil.copy(encoder / name, work / name)
    checkpoint = {
        "config": {
            "arch": {
                "args": {
                    "model_type": str(target),
                    "model_name": "BertForSequenceClassification",
                    "tokenizer_name": "BertTokenizerFast",
                    "num_classes": len(labels),
                }
            },
            "dataset": {"args": {"classes": labels}},
        },
        "state_dict": state,
    }
    torch.save(checkpoint, work / CHECKPOINT_NAME)
    (work / (CHECKPOINT_NAME + ".sha256")).write_text(sha256_file(work / CHECKPOINT_NAME) + "\n")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(work, target)
