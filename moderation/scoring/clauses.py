"""Clause heads: small networks over the encoder's pooled features that judge the site's guidelines directly.

The encoder's own labels (toxicity, insult, identity_attack…) are the annotation schemes of its training sources;
an editor's clauses are not the same thing ("I hate <group>" carries no swear word; "the builder bribed the
collector" is civil in tone). Each head reads one token window's pooled features (`encoder.pooled_features`)
and gives a logit per clause label; the scorer takes each label's maximum over a comment's windows, as it
does for the encoder's labels. Stored as a float16 .npz (no pickle), hash-checked through the manifest.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: The clause labels the bundled heads predict.
CLAUSE_LABELS: tuple[str, ...] = ("personal_attack", "inflammatory", "violent_threat", "defamation_risk", "obscenity")


class ClauseHeads:
    """A one-hidden-layer network shared by the clause labels: standardise, ReLU layer, one logit per label."""

    def __init__(self, labels: tuple[str, ...], mean: np.ndarray, scale: np.ndarray, w1: np.ndarray,
                 b1: np.ndarray, w2: np.ndarray, b2: np.ndarray) -> None:
        self.labels = labels
        self.mean, self.scale = mean.astype(np.float32), scale.astype(np.float32)
        self.w1, self.b1 = w1.astype(np.float32), b1.astype(np.float32)
        self.w2, self.b2 = w2.astype(np.float32), b2.astype(np.float32)

    def logits(self, features: np.ndarray) -> np.ndarray:
        """One row of logits (a column per label) for each row of features."""
        hidden = np.maximum(((features - self.mean) / self.scale) @ self.w1 + self.b1, 0.0)
        out: np.ndarray = hidden @ self.w2 + self.b2
        return out

    def save(self, path: Path) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), mean=self.mean, scale=self.scale,
                            w1=self.w1.astype(np.float16), b1=self.b1, w2=self.w2.astype(np.float16), b2=self.b2)

    @classmethod
    def load(cls, path: Path) -> ClauseHeads:
        with np.load(path, allow_pickle=False) as data:
            return cls(tuple(str(x) for x in data["labels"]), data["mean"], data["scale"], data["w1"], data["b1"],
                       data["w2"], data["b2"])
