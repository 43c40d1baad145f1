"""Timing the full outcome (model + detectors + policy) on real news comments, beside a BERT-base model."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from moderation.policy.model import Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.scoring import score_texts

WORKLOAD = Path(__file__).resolve().parent / "data" / "news-comments.jsonl"


def workload(limit: int | None = None) -> list[str]:
    """The benchmark's comments, in file order."""
    texts = [json.loads(line)["text"] for line in WORKLOAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts[:limit] if limit else texts


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_scorer(scorer: Scorer, policy: Policy, texts: Sequence[str], singles: int, batch_size: int) -> dict[str, float]:
    """p50/p95 of one comment at a time, and comments/s when scored in batches."""
    scorer.load()
    score_texts(scorer, policy, texts[:8])  # warm-up
    latencies = []
    for text in texts[:singles]:
        started = time.perf_counter()
        score_texts(scorer, policy, [text])
        latencies.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    for start in range(0, len(texts), batch_size):
        score_texts(scorer, policy, texts[start : start + batch_size])
    elapsed = time.perf_counter() - started
    return {
        "single_p50_ms": round(statistics.median(latencies), 2),
        "single_p95_ms": round(_percentile(latencies, 0.95), 2),
        "batched_comments_per_s": round(len(texts) / elapsed, 1),
    }


def bert_base_scorer(directory: Path, threads: int, batch_size: int, precision: str) -> Scorer:
    """A BERT-base-sized classifier (the architecture of detoxify's `original`) with random weights, for timing,
    run at the same precision as the scorer it is compared with."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from moderation.scoring.detoxify_scorer import DetoxifyScorer
    from moderation.scoring.encoder import TOKENIZER_FILES, base_encoder_dir

    labels = ["toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack"]
    config = BertConfig(num_labels=len(labels))  # bert-base: 12 layers, 768 hidden, same uncased vocabulary
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    config.save_pretrained(directory)
    for name in TOKENIZER_FILES:
        (directory / name).write_bytes((base_encoder_dir() / name).read_bytes())
    checkpoint = directory / "bert-base.ckpt"
    arch = {"model_type": str(directory), "model_name": "BertForSequenceClassification",
            "tokenizer_name": "BertTokenizerFast", "num_classes": len(labels)}
    torch.save({"config": {"arch": {"args": arch}, "dataset": {"args": {"classes": labels}}},
                "state_dict": model.state_dict()}, checkpoint)
    return DetoxifyScorer(name="bert-base-random", version="timing-only", threads=threads, batch_size=batch_size,
                          precision=precision, cache_dir=directory, locate=lambda: (str(checkpoint), str(directory)))


def run(scorer: Scorer, policy: Policy, *, threads: int, batch_size: int = 32, precision: str = "auto",
        limit: int | None = None, singles: int = 200, baseline: bool = True) -> dict[str, Any]:
    """The benchmark's figures for the configured scorer and, in the same run, BERT-base."""
    texts = workload(limit)
    scorer.load()
    result: dict[str, Any] = {"comments": len(texts), "model": {"name": scorer.name, "version": scorer.version}}
    result["rss_loaded_mb"] = rss_mb()
    result.update(time_scorer(scorer, policy, texts, singles, batch_size))
    result["rss_mb"] = rss_mb()  # after the workload: includes what the allocator kept from batching
    if baseline:
        with tempfile.TemporaryDirectory() as tmp:
            # The same comments as the bundled scorer's batched run (their lengths set the pace), fewer singles.
            base = time_scorer(bert_base_scorer(Path(tmp), threads, batch_size, precision), policy, texts,
                               min(singles, 50), batch_size)
        result["bert_base_single_p50_ms"] = base["single_p50_ms"]
        result["bert_base_single_p95_ms"] = base["single_p95_ms"]
        result["bert_base_batched_comments_per_s"] = base["batched_comments_per_s"]
        result["speedup_batched"] = round(result["batched_comments_per_s"] / base["batched_comments_per_s"], 1)
    return result
