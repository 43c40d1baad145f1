"""The label vocabulary shared by scorers, training and evaluation (detoxify's names)."""

from __future__ import annotations

from moderation.scoring.clauses import CLAUSE_LABELS

#: Labels the bundled model predicts, in the order of its output units.
BUNDLED_LABELS: tuple[str, ...] = ("toxicity", "obscene", "insult", "threat", "identity_attack")

#: Every label a scorer can report under our names: the published detoxify `original`, `unbiased` and
#: `multilingual` models' harms, `unbiased`'s identity mentions, and the bundled model's clause heads.
#: Policies may name only these.
KNOWN_LABELS: tuple[str, ...] = (
    "toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack", "sexual_explicit",
    "male", "female", "homosexual_gay_or_lesbian", "christian", "jewish", "muslim", "black", "white",
    "psychiatric_or_mental_illness",
    *CLAUSE_LABELS,
)

#: detoxify's older checkpoints name some classes differently; scores are reported under these names.
CANONICAL_NAMES = {"toxic": "toxicity", "identity_hate": "identity_attack", "severe_toxic": "severe_toxicity"}
