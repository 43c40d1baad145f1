"""Pooled encoder features of many texts, computed once and kept on disk between training runs.

Extracting features for the 90,000 training comments takes several minutes on two cores; the clause heads are
fitted in seconds on top. The cache is keyed by the encoder's version and each text's sha256, so rounds of
new written examples only pay for the new texts.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

CHUNK = 2048
#: New features are written to the cache about this often (and at the end): each save rewrites the whole file.
SAVE_EVERY = 16_384


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def cached_features(extract: Callable[[Sequence[str]], np.ndarray], texts: Sequence[str], cache: Path) -> np.ndarray:
    """`extract(texts)` row for row, reading earlier results from the .npz at `cache` and adding new ones to it
    (saved every SAVE_EVERY texts and at the end, so an interrupted run resumes near where it stopped)."""
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            known = dict(zip(data["keys"].tolist(), data["features"], strict=True))
    keys = [text_key(t) for t in texts]
    missing = list(dict.fromkeys(k for k in keys if k not in known))
    by_key = dict(zip(keys, texts, strict=True))
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start : start + CHUNK]
        known.update(zip(chunk, extract([by_key[k] for k in chunk]).astype(np.float16), strict=True))
        done = start + len(chunk)
        if done == len(missing) or done % SAVE_EVERY < CHUNK:
            _save(cache, known)
        log.info("features: %d of %d new texts", done, len(missing))
    return np.stack([known[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, 0), np.float32)


def _save(cache: Path, known: dict[str, np.ndarray]) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_name(cache.name + ".partial.npz")
    np.savez(partial, keys=np.array(list(known)), features=np.stack(list(known.values())))
    os.replace(partial, cache)
