"""The label vocabulary shared by scorers, training and evaluation (detoxify's names)."""

from __future__ import annotations

#: Labels the bundled model predicts, in the order of its output units.
BUNDLED_LABELS: tuple[str, ...] = ("toxicity", "obscene", "insult", "threat", "identity_attack")

#: Every label a detoxify model can report under our names: the published `original`, `unbiased` and
#: `multilingual` models' harms and `unbiased`'s identity mentions. Policies may name only these.
KNOWN_LABELS: tuple[str, ...] = (
    "toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack", "sexual_explicit",
    "male", "female", "homosexual_gay_or_lesbian", "christian", "jewish", "muslim", "black", "white",
    "psychiatric_or_mental_illness",
)

#: detoxify's older checkpoints name some classes differently; scores are reported under these names.
CANONICAL_NAMES = {"toxic": "toxicity", "identity_hate": "identity_attack", "severe_toxic": "severe_toxicity"}
