"""The label vocabulary shared by scorers, training and evaluation (detoxify's names)."""

from __future__ import annotations

#: Labels the bundled model predicts, in the order of its output units.
BUNDLED_LABELS: tuple[str, ...] = ("toxicity", "obscene", "insult", "threat", "identity_attack")

#: detoxify's older checkpoints name some classes differently; scores are reported under these names.
CANONICAL_NAMES = {"toxic": "toxicity", "identity_hate": "identity_attack", "severe_toxic": "severe_toxicity"}
