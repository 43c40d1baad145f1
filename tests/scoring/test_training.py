"""Training reproduces the bundled model's files, resumes from its checkpoint, and adds LoRA stages."""

from __future__ import annotations

import json

import numpy as np
import pytest
from safetensors.torch import load_file
from transformers import BertTokenizerFast

from moderation.errors import ModelIntegrityError
from moderation.scoring import bundled, dataset
from moderation.scoring.encoder import base_encoder_dir
from moderation.scoring.ensemble import ENSEMBLE_NAME, NGRAM_NAME
from moderation.scoring.ngram import TfidfLogistic
from moderation.scoring.training import TrainConfig, build_model, predict, train

from .sample import write_sample


def test_train_writes_weights_manifest_and_ngram_then_resumes(tmp_path):
    data = write_sample(tmp_path / "train.jsonl")
    cfg = TrainConfig(data=str(data), out_dir=str(tmp_path / "out"), checkpoint_dir=str(tmp_path / "ck"),
                      epochs=1, batch_size=16, max_length=24, checkpoint_every=2)
    messages: list[str] = []
    manifest = train(cfg, progress=False, echo=messages.append)

    weights = tmp_path / "out" / bundled.WEIGHTS_NAME
    assert manifest["weights_sha256"] == bundled.sha256_file(weights)
    assert manifest["labels"] == ["toxicity", "obscene", "insult", "threat", "identity_attack"]
    assert manifest["history"][0]["epoch"] == 1
    tensors = load_file(str(weights))
    assert "classifier.weight" in tensors and "bert.embeddings.word_embeddings.weight" not in tensors
    assert all(str(t.dtype) == "torch.float16" for t in tensors.values())
    assert json.loads((tmp_path / "out" / bundled.MANIFEST_NAME).read_text())["version"] == manifest["version"]
    spec = json.loads((tmp_path / "out" / ENSEMBLE_NAME).read_text())
    assert spec["ngram_sha256"] == bundled.sha256_file(tmp_path / "out" / NGRAM_NAME)
    shipped = json.loads((bundled.WEIGHTS_DIR / ENSEMBLE_NAME).read_text())
    labels = manifest["labels"]  # mixes as shipped; the clause heads wait for train-clauses on the new encoder
    assert (spec["weights"], spec["wordlists"]) == ({k: shipped["weights"][k] for k in labels}, shipped["wordlists"])
    assert "heads_sha256" not in spec and "calibration" not in spec
    ngram = TfidfLogistic.load(tmp_path / "out" / NGRAM_NAME)
    scores = ngram.score(["You are a stupid idiot.", "Thank you for covering the water shortage."])
    assert scores[0]["toxicity"] > scores[1]["toxicity"]

    messages.clear()
    train(cfg, progress=False, echo=messages.append)
    assert any("resuming" in m for m in messages)


def test_changed_settings_do_not_resume_a_foreign_checkpoint(tmp_path):
    data = write_sample(tmp_path / "train.jsonl", copies=2)
    base = {"data": str(data), "out_dir": str(tmp_path / "out"), "checkpoint_dir": str(tmp_path / "ck"),
            "epochs": 1, "batch_size": 16, "max_length": 16}
    train(TrainConfig(**base), progress=False, echo=lambda m: None)
    messages: list[str] = []
    train(TrainConfig(**base, lr=1e-4), progress=False, echo=messages.append)
    assert any("other settings" in m for m in messages)


def test_lora_stage_exports_a_small_delta_that_assembly_merges(tmp_path):
    data = write_sample(tmp_path / "train.jsonl", copies=4)
    common = {"data": str(data), "epochs": 1, "batch_size": 8, "max_length": 24}
    base_dir, lora_dir = tmp_path / "base", tmp_path / "lora"
    base = train(TrainConfig(**common, out_dir=str(base_dir), checkpoint_dir=str(tmp_path / "ck-base")),
                 progress=False, echo=lambda m: None)
    cfg = TrainConfig(**common, out_dir=str(lora_dir), checkpoint_dir=str(tmp_path / "ck-lora"), lr=2e-2,
                      base_weights=str(base_dir), lora_rank=4)
    manifest = train(cfg, progress=False, echo=lambda m: None)

    delta = lora_dir / bundled.LORA_NAME
    assert manifest["weights_sha256"] == base["weights_sha256"] and manifest["version"] != base["version"]
    assert manifest["lora"]["sha256"] == bundled.sha256_file(delta)
    assert delta.stat().st_size * 10 < (lora_dir / bundled.WEIGHTS_NAME).stat().st_size
    assert {"classifier.weight", "bert.encoder.layer.0.attention.self.query.lora_A.weight"} <= set(load_file(str(delta)))

    # The merged weights, in a plain model without peft, score the validation rows as the trained LoRA did.
    rows = dataset.split(dataset.read_jsonl(data))[1]
    ids = BertTokenizerFast.from_pretrained(base_encoder_dir())([r.text for r in rows], truncation=True,
                                                                 max_length=24)["input_ids"]
    trained = np.array([[json.loads(line)["scores"][label] for label in manifest["labels"]]
                        for line in (tmp_path / "ck-lora" / "validation-scores.jsonl").read_text().splitlines()])
    merged = predict(build_model(len(manifest["labels"]), str(lora_dir)), ids, "cpu")
    before = predict(build_model(len(manifest["labels"]), str(base_dir)), ids, "cpu")
    assert np.abs(merged - trained).max() < 0.02
    assert np.abs(before - trained).max() > 0.05

    with open(delta, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelIntegrityError, match="LoRA weights"):
        bundled.merged_weights(lora_dir)
