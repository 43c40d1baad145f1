"""The detoxify adapter: loads any detoxify model and scores batches, long texts in overlapping windows."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit

from moderation.errors import ModelIntegrityError, ScoringError
from moderation.scoring.base import LabelScores
from moderation.scoring.clauses import ClauseHeads
from moderation.scoring.cpu import single_threaded_blas
from moderation.scoring.detoxify_model import open_detoxify
from moderation.scoring.labels import CANONICAL_NAMES

log = logging.getLogger(__name__)

#: Returns (checkpoint path, config dir) to load from, or (None, None) for a published model by name.
Locator = Callable[[], tuple[str | None, str | None]]
#: A padded batch of token ids and its mask -> the classifier's logits and the pooled features, per row.
Forward = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def resolve_precision(requested: str) -> str:
    """The encoder's arithmetic. "auto" is int8 under ONNX Runtime on every CPU: within 0.010 validation ROC-AUC of
    float32, several times its speed, and about 320 MB resident while serving. bfloat16, as fast on CPUs with AMX
    and as accurate as float32, held 690 MB there once it had scored a few hundred comments (README, Measured)."""
    return "int8" if requested == "auto" else requested


class DetoxifyScorer:
    """A `Scorer` over a detoxify model: loaded by `detoxify.Detoxify` in float32 and bfloat16; in int8, its ONNX
    export (made once from the same checkpoint) with the tokenizer, shaped as detoxify holds a model.

    Comments longer than one window are split into overlapping token windows and each label takes the
    maximum over the windows, so nothing past the model's length limit goes unread. With `heads`, each window's
    pooled features are also read by the clause heads, whose labels follow the classifier's.
    """

    def __init__(
        self,
        *,
        name: str,
        version: str,
        model_type: str = "original",
        locate: Locator | None = None,
        threads: int = 2,
        batch_size: int = 32,
        window: int = 512,
        precision: str = "float32",
        cache_dir: Path | None = None,
        heads: Callable[[], ClauseHeads] | None = None,
    ) -> None:
        self.name = name
        self.version = version
        self._model_type = model_type
        self._locate = locate
        self._threads = threads
        self._batch_size = batch_size
        self._window = window
        self._precision = precision
        self._cache_dir = cache_dir
        self._load_heads = heads
        self._heads: ClauseHeads | None = None
        self._lock = threading.Lock()
        self._detoxify: Any = None
        self._forward: Forward | None = None
        self._labels: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return self._detoxify is not None

    @property
    def labels(self) -> tuple[str, ...]:
        return self._labels

    def load(self) -> None:
        """Load the model once per process (thread-safe, idempotent)."""
        with self._lock:
            if self._detoxify is not None:
                return
            import transformers

            transformers.logging.set_verbosity_error()  # load reports go to our log, not the console
            transformers.logging.disable_progress_bar()
            single_threaded_blas()
            checkpoint, config_dir = self._locate() if self._locate else (None, None)
            self._precision = resolve_precision(self._precision)
            try:
                model = self._open(checkpoint, config_dir)
            except ModelIntegrityError:
                raise
            except Exception as exc:  # detoxify raises many kinds; one domain error for callers
                raise ScoringError(f"could not load model {self.name}: {exc}") from exc
            self._heads = self._load_heads() if self._load_heads else None
            self._forward = model.model if self._precision == "int8" else _torch_forward(model.model)
            self._labels = tuple(CANONICAL_NAMES.get(c, c) for c in model.class_names)
            self._labels += self._heads.labels if self._heads else ()
            self._window = min(self._window, int(model.tokenizer.model_max_length))
            self._detoxify = model
            log.info("loaded %s %s (%d labels, %s)", self.name, self.version, len(self._labels), self._precision)

    def _open(self, checkpoint: str | None, config_dir: str | None) -> Any:
        """The model as detoxify holds it (`model`, `tokenizer`, `class_names`) in the configured precision."""
        if self._precision == "int8":  # neither PyTorch nor the checkpoint is loaded once the int8 model is exported
            from moderation.scoring.onnx_int8 import artefact_name, open_int8

            cache = self._cache_dir or Path(tempfile.gettempdir()) / "moderation-int8"
            int8 = open_int8(cache / artefact_name(self.name, self.version), self._threads,
                             checkpoint=checkpoint, config_dir=config_dir, model_type=self._model_type)
            self.version += "-int8"
            return int8
        import torch

        torch.set_num_threads(self._threads)
        model = open_detoxify(checkpoint, config_dir, self._model_type)
        model.model.eval()
        if self._precision == "bfloat16":  # half the memory; ~3x faster where the CPU multiplies bfloat16 natively
            model.model.to(torch.bfloat16)
            self.version += "-bf16"
        return model

    def score(self, texts: Sequence[str]) -> list[LabelScores]:
        """Label probabilities per text, in input order."""
        if not texts:
            return []
        if self._detoxify is None:
            self.load()
        try:
            return self._score(list(texts))
        except ScoringError:
            raise
        except Exception as exc:
            raise ScoringError(f"{self.name} failed to score: {exc}") from exc

    def features(self, texts: Sequence[str]) -> np.ndarray:
        """The pooled features of each text's first token window (what the clause heads are trained on)."""
        if self._detoxify is None:
            self.load()
        assert self._forward is not None
        tokenizer = self._detoxify.tokenizer
        out = []
        for start in range(0, len(texts), 256):
            batch = tokenizer(list(texts[start : start + 256]), truncation=True, max_length=self._window,
                              padding=True, return_tensors="np")
            out.append(self._forward(batch["input_ids"].astype(np.int64), batch["attention_mask"].astype(np.int64))[1])
        return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)

    def _windows(self, texts: list[str]) -> tuple[list[list[int]], list[int]]:
        """Token windows (with special tokens) and, for each, the index of its text."""
        tokenizer = self._detoxify.tokenizer
        body = self._window - 2
        stride = max(1, body * 3 // 4)  # windows overlap by a quarter: a sentence cut by one is whole in the next
        ids = tokenizer(texts, add_special_tokens=False, truncation=False, verbose=False)["input_ids"]
        first, last = [tokenizer.cls_token_id], [tokenizer.sep_token_id]
        windows: list[list[int]] = []
        owners: list[int] = []
        for owner, tokens in enumerate(ids):
            starts = range(0, max(1, len(tokens) - body + stride), stride) if len(tokens) > body else [0]
            for start in starts:
                windows.append(first + tokens[start : start + body] + last)
                owners.append(owner)
        return windows, owners

    def _score(self, texts: list[str]) -> list[LabelScores]:
        pad = self._detoxify.tokenizer.pad_token_id or 0
        windows, owners = self._windows(texts)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        best = np.zeros((len(texts), len(self._labels)), dtype=np.float32)
        lengths = [len(windows[i]) for i in order]
        # the int8 classifier runs each row unpadded, in parallel: no padding to plan around
        groups = [slice(0, len(order))] if self._precision == "int8" else plan_batches(lengths, self._batch_size)
        for group in groups:
            chunk = order[group]
            width = _padded_width(len(windows[chunk[-1]]))
            input_ids = np.full((len(chunk), width), pad, dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                input_ids[row, : len(windows[i])] = windows[i]
                mask[row, : len(windows[i])] = 1
            logits, features = self._forward(input_ids, mask)
            if self._heads:
                logits = np.hstack([logits, self._heads.logits(features)])
            probs = expit(logits)
            for row, i in enumerate(chunk):
                np.maximum(best[owners[i]], probs[row], out=best[owners[i]])
        return [dict(zip(self._labels, map(float, row), strict=True)) for row in best.tolist()]


def _torch_forward(model: Any) -> Forward:
    """Logits and pooled features of a PyTorch classifier for a padded batch, as float32 arrays."""
    import torch

    from moderation.scoring.encoder import pooled_features

    def forward(input_ids: np.ndarray, attention_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ids, mask = torch.from_numpy(input_ids), torch.from_numpy(attention_mask)
        with torch.inference_mode():
            out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
            logits: np.ndarray = out.logits.float().numpy()
            features: np.ndarray = pooled_features(out.hidden_states, mask).float().numpy()
        return logits, features

    return forward


#: Token widths go up in steps of this many: few distinct shapes keep the CPU kernels' cache small.
WIDTH_STEP = 16
#: What one extra model call costs, in tokens' worth of work (measured: ~4 ms a call, ~80 us a token on 2 cores).
CALL_COST_TOKENS = 48


def _padded_width(length: int) -> int:
    return -(-length // WIDTH_STEP) * WIDTH_STEP


def plan_batches(lengths: Sequence[int], max_batch: int) -> list[slice]:
    """Split windows sorted by length into consecutive model batches of at most `max_batch`, trading padding
    against the fixed cost of a model call: a short comment is not padded to the width of a long one in
    the same request when scoring it separately is cheaper. Exact (dynamic programming over the cut points)."""
    n = len(lengths)
    cost = [0.0] + [float("inf")] * n  # cost[j]: cheapest plan for the first j windows
    cut = [0] * (n + 1)
    for end in range(1, n + 1):
        width = _padded_width(lengths[end - 1])  # sorted: the last window of a batch is its widest
        for start in range(max(0, end - max_batch), end):
            total = cost[start] + CALL_COST_TOKENS + width * (end - start)
            if total < cost[end]:
                cost[end], cut[end] = total, start
    plan: list[slice] = []
    end = n
    while end:
        plan.append(slice(cut[end], end))
        end = cut[end]
    return plan[::-1]
