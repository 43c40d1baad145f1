"""Training reproduces the bundled model's files and resumes from its checkpoint."""

from __future__ import annotations

import json

from safetensors.torch import load_file

from moderation.scoring import bundled
from moderation.scoring.ensemble import ENSEMBLE_NAME, NGRAM_NAME
from moderation.scoring.ngram import TfidfLogistic
from moderation.scoring.training import TrainConfig, train

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
