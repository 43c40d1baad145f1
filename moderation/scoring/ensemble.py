"""The bundled scorer: the fine-tuned encoder combined with an n-gram model, alt-profanity-check and word lists.

Each label's probability is the sigmoid of a weighted mean of the members' logits, plus a fixed amount for each
word-list signal (`insult_words`…) the comment sets off. The weights were chosen per label on the validation
split (docs in README): the encoder carries most labels, the n-gram model adds romanised-Hindi and spelling
cues, alt-profanity-check adds profanity coverage, and the insult list adds the explicit insults that news
commenters' annotators count as toxic more often than the encoder does. Comments in romanised Hindi or
Devanagari, which the encoder's English vocabulary reads poorly, can be mixed with weights of their own
(`by_script`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit

from moderation.detectors.language import detect_script
from moderation.detectors.wordlists import CATEGORIES, find_words, prepare
from moderation.enums import Script
from moderation.errors import ModelIntegrityError, ScoringError
from moderation.scoring.base import LabelScores, Scorer
from moderation.scoring.bundled import ENSEMBLE_NAME, sha256_file

NGRAM_NAME = "ngram.npz"
#: Members whose logits are averaged; any other key of a label's weights names a word-list signal.
LOGIT_MEMBERS = ("ngram", "profanity")


#: Long comments reach the n-gram and profanity members in overlapping windows, each member taking its
#: maximum, as the encoder does over its token windows: an insult after pages of calm text is not diluted
#: by them. Windows of 1,024 characters leave the validation figures as they were (512 cost Civil Comments
#: toxicity 0.003: its annotators read a comment whole).
WINDOW_CHARS = 1024
WINDOW_STRIDE = 768


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def char_windows(text: str) -> list[str]:
    """`text` itself when short; else windows of at most WINDOW_CHARS characters, WINDOW_STRIDE apart,
    cut at spaces where one is near so that words stay whole."""
    if len(text) <= WINDOW_CHARS:
        return [text]
    windows: list[str] = []
    start = 0
    while True:
        end = min(len(text), start + WINDOW_CHARS)
        if end < len(text):
            space = text.rfind(" ", start + WINDOW_STRIDE, end)
            end = space if space > 0 else end
        windows.append(text[start:end])
        if end >= len(text):
            return windows
        step = start + WINDOW_STRIDE
        space = text.find(" ", step, end)
        start = space + 1 if space > 0 else step


def _windowed_max(members: Callable[[list[str]], Any], texts: Sequence[str]) -> np.ndarray:
    """`members(windows)` (one row of values per window) reduced to one row per text, maximum per column."""
    windows = [char_windows(text) for text in texts]
    values = np.asarray(members([w for ws in windows for w in ws]), dtype=np.float64)
    bounds = np.cumsum([0] + [len(ws) for ws in windows])
    return np.stack([values[a:b].max(axis=0) for a, b in zip(bounds[:-1], bounds[1:], strict=True)])


class EnsembleScorer:
    """A `Scorer` whose labels are the encoder's, each mixed with the n-gram and profanity members."""

    def __init__(self, encoder: Scorer, weights_dir: Path) -> None:
        self._encoder = encoder
        self._dir = weights_dir
        raw = (weights_dir / ENSEMBLE_NAME).read_bytes()
        spec = json.loads(raw)
        self._weights: dict[str, dict[str, float]] = spec["weights"]
        self._ngram_sha = spec["ngram_sha256"]
        self._spec_sha = hashlib.sha256(raw).hexdigest()
        self._wordlists = tuple(spec.get("wordlists", ()))
        self._signal_weights = {
            label: {k: float(v) for k, v in w.items() if k not in LOGIT_MEMBERS} for label, w in self._weights.items()}
        unknown = {k for w in self._signal_weights.values() for k in w} - set(CATEGORIES.values())
        if unknown:
            raise ModelIntegrityError(f"{weights_dir / ENSEMBLE_NAME} weighs unknown members: {', '.join(sorted(unknown))}")
        if any(self._signal_weights.values()) and not self._wordlists:
            raise ModelIntegrityError(f"{weights_dir / ENSEMBLE_NAME} weighs word-list signals but names no wordlists")
        self._by_script = self._script_weights(spec.get("by_script", {}), weights_dir / ENSEMBLE_NAME)
        #: label -> (a, b): the mixed logit z becomes a * z + b, fitted on the development split.
        self._calibration = {label: (float(a), float(b)) for label, (a, b) in spec.get("calibration", {}).items()}
        self.name = f"{encoder.name}+ngram+profanity" + ("+wordlists" if self._wordlists else "")
        self._ngram: Any = None
        self._profanity: Any = None
        self._lock = threading.Lock()

    def _script_weights(self, by_script: dict[str, Any], path: Path) -> dict[str, dict[str, dict[str, float]]]:
        """Each listed script's logit-member weights per label: the label's own, with the script's overrides."""
        unknown = set(by_script) - {script.value for script in Script}
        if unknown:
            raise ModelIntegrityError(f"{path} weighs unknown scripts: {', '.join(sorted(unknown))}")
        mixes: dict[str, dict[str, dict[str, float]]] = {}
        for script, labels in by_script.items():
            bad = {f"{label}.{key}" for label, w in labels.items() for key in w
                   if label not in self._weights or key not in LOGIT_MEMBERS}
            if bad:
                raise ModelIntegrityError(f"{path} overrides unknown weights for {script}: {', '.join(sorted(bad))}")
            mixes[script] = {label: {**self._weights[label], **labels.get(label, {})} for label in self._weights}
        return mixes

    @property
    def version(self) -> str:
        """The encoder's version (it says when the encoder runs quantised) and the hash of the ensemble's
        spec, which records the n-gram model's hash and every mixing weight."""
        return f"{self._encoder.version}.{self._spec_sha[:8]}"

    @property
    def ready(self) -> bool:
        return self._encoder.ready and self._ngram is not None

    @property
    def labels(self) -> tuple[str, ...]:
        return self._encoder.labels

    def load(self) -> None:
        with self._lock:
            if self._ngram is not None:
                return
            from moderation.scoring.ngram import TfidfLogistic
            from moderation.scoring.profanity import FastProfanity

            path = self._dir / NGRAM_NAME
            if sha256_file(path) != self._ngram_sha:
                raise ModelIntegrityError(f"{path} does not match the sha256 recorded in {ENSEMBLE_NAME}")
            self._encoder.load()
            self._ngram = TfidfLogistic.load(path)
            self._profanity = FastProfanity()
            prepare(self._wordlists)

    def quick_score(self, texts: Sequence[str]) -> list[LabelScores]:
        """The n-gram member alone: a few milliseconds, used to rank a comment's sentences as evidence."""
        if self._ngram is None:
            self.load()
        return self._ngram.score(texts) if texts else []

    def score(self, texts: Sequence[str]) -> list[LabelScores]:
        if not texts:
            return []
        if self._ngram is None:
            self.load()
        encoded = self._encoder.score(texts)
        try:
            ngram = _windowed_max(self._ngram.logits, texts)
            profanity = _logit(_windowed_max(self._profanity, texts))
            signals = [{f.signal for f in find_words(text, self._wordlists)} for text in texts]
            scripts = [detect_script(text).value for text in texts] if self._by_script else []
        except Exception as exc:
            raise ScoringError(f"{self.name} failed to score: {exc}") from exc
        columns = {label: i for i, label in enumerate(self._ngram.fitted_labels)}
        out: list[LabelScores] = []
        for row, scores in enumerate(encoded):
            weights = self._by_script.get(scripts[row], self._weights) if scripts else self._weights
            mixed: dict[str, float] = {}
            for label, value in scores.items():
                w = weights.get(label, {})
                w_ngram = w.get("ngram", 0.0) if label in columns else 0.0
                w_prof = w.get("profanity", 0.0)
                z = float(_logit(np.array(value))) + w_ngram * (ngram[row, columns[label]] if w_ngram else 0.0)
                z += w_prof * profanity[row]
                z = z / (1.0 + w_ngram + w_prof)
                z += sum(v for signal, v in self._signal_weights.get(label, {}).items() if signal in signals[row])
                a, b = self._calibration.get(label, (1.0, 0.0))
                z = a * z + b
                mixed[label] = float(expit(z))
            out.append(mixed)
        return out
