"""The bundled scorer: real model, batch in/batch out, long comments read to the end."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from moderation.config import DEFAULTS, resolve
from moderation.scoring import bundled
from moderation.scoring.base import Scorer
from moderation.scoring.detoxify_scorer import DetoxifyScorer, plan_batches
from moderation.scoring.factory import PUBLISHED, build_scorer
from moderation.scoring.labels import BUNDLED_LABELS


def test_bundled_scorer_is_ready_with_detoxify_labels(scorer):
    assert isinstance(scorer, Scorer)
    scorer.load()  # the app loads it on first use
    assert scorer.ready
    assert set(BUNDLED_LABELS) <= set(scorer.labels)
    assert scorer.name.startswith("bundled-minilm") and scorer.version


def test_a_loaded_scorer_keeps_blas_on_the_calling_thread(scorer):
    """OpenBLAS's default pool spins after every small product of the heads: one thread, or twice the CPU."""
    from threadpoolctl import threadpool_info

    scorer.load()
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_batch_matches_single_and_keeps_order(scorer):
    texts = ["Thank you for this thoughtful report.", "You are a pathetic idiot.", "Fuck off, moron."]
    batch = scorer.score(texts)
    assert len(batch) == 3
    for text, scores in zip(texts, batch, strict=True):
        single = scorer.score([text])[0]
        assert all(abs(single[k] - scores[k]) < 1e-4 for k in scores)
    assert batch[1]["insult"] > 0.5 > batch[0]["insult"]
    assert batch[2]["toxicity"] > 0.5 > batch[0]["toxicity"]
    assert scorer.score([]) == []


def test_batches_split_where_padding_costs_more_than_a_call():
    lengths = [9, 10, 12, 14, 15, 16, 120, 128]  # sorted, as the scorer passes them
    plan = plan_batches(lengths, max_batch=32)
    assert [i for part in plan for i in range(len(lengths))[part]] == list(range(len(lengths)))
    assert plan == [slice(0, 6), slice(6, 8)]  # the short ones are not padded to 128 tokens
    same_width = plan_batches([16] * 70, max_batch=32)
    assert len(same_width) == 3 and all(part.stop - part.start <= 32 for part in same_width)  # as few calls as fit
    assert plan_batches([], max_batch=32) == []


def test_mixed_lengths_in_one_batch_score_as_they_do_alone(scorer):
    texts = ["Idiot.", "The ward's water supply has been cut for three days and nobody at the municipal office "
             "answers the phone; " * 6 + "you lot are useless crooks.", "Well said, thank you."]
    batch = scorer.score(texts)
    for text, scores in zip(texts, batch, strict=True):
        assert scorer.score([text])[0] == pytest.approx(scores, abs=1e-3)


def test_long_comment_is_read_to_the_end(scorer):
    """An insult after 2,000 words still counts: windows overlap, the maximum per label is kept."""
    calm = "The council met on Tuesday to discuss the new water supply scheme for the ward. " * 150
    ending = "Whoever wrote this is a stupid worthless idiot."
    assert scorer.score([calm])[0]["insult"] < 0.3
    assert scorer.score([calm + ending])[0]["insult"] > 0.5
    assert scorer.score([ending + " " + calm])[0]["insult"] > 0.5


def test_published_models_and_local_checkpoints_are_configurable(tmp_path):
    defaults = resolve(DEFAULTS, str(tmp_path))
    for kind in PUBLISHED:
        scorer = build_scorer({**defaults, "SCORER": kind})
        assert isinstance(scorer, DetoxifyScorer)
        assert scorer.name == f"detoxify-{kind}" and scorer.version == PUBLISHED[kind]
        assert not scorer.ready  # nothing is downloaded until load()
    checkpoint = tmp_path / "model.ckpt"
    checkpoint.write_bytes(b"not a checkpoint")
    scorer = build_scorer({**defaults, "SCORER": "checkpoint", "SCORER_CHECKPOINT": str(checkpoint),
                           "SCORER_CONFIG_DIR": str(tmp_path)})
    assert scorer.name == "checkpoint:model.ckpt"
    from moderation.errors import ScoringError

    with pytest.raises(ScoringError):
        scorer.load()


def test_fast_profanity_matches_the_package():
    from profanity_check import predict_prob

    from moderation.scoring.profanity import FastProfanity

    texts = ["you are a fucking idiot", "Lovely weather in Shimla today.", "", "sh1t happens"]
    assert FastProfanity()(texts) == pytest.approx(predict_prob(texts), abs=1e-9)


@pytest.mark.parametrize(("precision", "suffix"), [("int8", "-int8"), ("bfloat16", "-bf16"), ("float32", "")])
def test_encoder_precision_is_an_option_and_named_in_the_version(app, precision, suffix):
    scorer = build_scorer({**app.config, "SCORER_PRECISION": precision})
    scorer.load()
    encoder_version = scorer.version.split(".")[0]
    assert encoder_version == bundled.read_manifest()["version"] + suffix
    calm, rude = scorer.score(["Thank you for this report.", "You are a pathetic idiot."])
    assert rude["insult"] > 0.5 > calm["insult"]


def test_auto_precision_is_int8_on_every_cpu_and_a_choice_is_kept(monkeypatch):
    from moderation.scoring import cpu
    from moderation.scoring.detoxify_scorer import resolve_precision

    assert resolve_precision("float32") == "float32" and resolve_precision("bfloat16") == "bfloat16"
    for flags, native in [({"avx2", "fma"}, False), ({"avx512f", "avx512_bf16"}, True),
                          ({"amx_tile", "amx_bf16", "avx512_bf16"}, True), (set(), False)]:
        monkeypatch.setattr(cpu, "cpu_flags", lambda flags=flags: frozenset(flags))
        assert cpu.native_bfloat16() is native  # training still runs in bfloat16 mixed precision there
        assert resolve_precision("auto") == "int8"


def test_cpu_flags_are_read_from_the_cpu():
    from moderation.scoring import cpu

    flags = cpu.cpu_flags()
    if Path("/proc/cpuinfo").exists():
        assert {"sse2", "fpu"} <= flags or "fp" in flags  # x86 baseline, or an Arm CPU's floating point
    assert cpu.int8_vnni() == bool(flags & {"avx512_vnni", "avx_vnni", "amx_int8"})


def test_int8_scoring_loads_neither_pytorch_nor_the_checkpoint(app, tmp_path):
    """Once exported, the int8 model starts from its ONNX file and tokenizer alone: a fresh process serving it
    never imports PyTorch (two seconds of start-up and its memory) nor detoxify, which would load the float32
    checkpoint (its sha256 is still checked)."""
    import subprocess
    import sys

    config = {**app.config, "SCORER_PRECISION": "int8"}
    build_scorer(config).load()  # the export (a child process) has run, or its artefact is cached
    probe = (
        "import sys, json; from wsgi import app\n"
        "scores = app.extensions['moderation'].scorer.score(['You are a pathetic idiot.'])[0]\n"
        "print(json.dumps({'torch': 'torch' in sys.modules, 'detoxify': 'detoxify' in sys.modules, **scores}))"
    )
    env = {**os.environ, "MODERATION_SCORER_PRECISION": "int8", "MODERATION_INSTANCE_PATH": str(app.instance_path),
           "MODERATION_MODEL_CACHE_DIR": str(config["MODEL_CACHE_DIR"])}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["torch"] is False and seen["detoxify"] is False
    assert seen["insult"] > 0.5


@pytest.mark.parametrize("precision", ["bfloat16", "int8"])
def test_faster_precisions_stay_close_to_float32(app, precision):
    """On the benchmark's news comments: bfloat16 moves no score by more than 0.02; int8 moves half of them by
    under 0.005 and none by more than 0.12 (validation ROC-AUC within 0.005, docs/benchmarks.md)."""
    import statistics

    from moderation.benchmarks.scoring import workload

    texts = workload(64)
    full, fast = (build_scorer({**app.config, "SCORER_PRECISION": p}).score(texts) for p in ("float32", precision))
    moved = [abs(a[label] - b[label]) for a, b in zip(full, fast, strict=True) for label in a]
    assert max(moved) < (0.02 if precision == "bfloat16" else 0.12)
    assert statistics.median(moved) < 0.005


def test_int8_scores_do_not_depend_on_the_batch(app):
    """int8 activations are quantised per call, so each window runs alone: a comment scores the same whatever it
    is batched with (to float rounding; quantising a whole batch together moved scores by up to 0.12)."""
    from moderation.benchmarks.scoring import workload

    scorer = build_scorer({**app.config, "SCORER_PRECISION": "int8"})
    texts = workload(24)
    together = scorer.score(texts)
    for text, scores in zip(texts, together, strict=True):
        assert scorer.score([text])[0] == pytest.approx(scores, abs=1e-6)
    for scores, again in zip(scorer.score(texts[::-1]), together[::-1], strict=True):
        assert scores == pytest.approx(again, abs=1e-6)


def test_int8_model_is_exported_once_and_reused(app, tmp_path, monkeypatch):
    import subprocess

    from moderation.errors import ScoringError

    config = {**app.config, "SCORER_PRECISION": "int8", "MODEL_CACHE_DIR": str(tmp_path)}
    first = build_scorer(config)
    first.load()
    exported = list(tmp_path.glob("*.onnx"))
    assert len(exported) == 1 and exported[0].name.startswith(f"bundled-minilm-{bundled.read_manifest()['version']}.int8-")

    def no_export(*args, **kwargs):
        raise AssertionError("the cached int8 model should have been reused")

    monkeypatch.setattr(subprocess, "run", no_export)
    again = build_scorer(config)
    again.load()
    assert again.score(["You are a pathetic idiot."]) == first.score(["You are a pathetic idiot."])

    exported[0].unlink()  # and when exporting fails, the operator is told why
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, "", "disk full"))
    with pytest.raises(ScoringError, match="int8 model.*disk full"):
        build_scorer(config).load()
