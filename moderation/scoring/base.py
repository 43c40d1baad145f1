"""The scoring port: every model the service can use looks like this."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

#: Probability per label name (detoxify's names), for one text.
LabelScores = Mapping[str, float]


@runtime_checkable
class Scorer(Protocol):
    """A batch text classifier. Load once per process; always batch in, batch out."""

    name: str
    version: str

    @property
    def ready(self) -> bool:
        """Whether `load()` has completed and `score()` can be called."""
        ...

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels every result carries."""
        ...

    def load(self) -> None:
        """Load the model (idempotent)."""
        ...

    def score(self, texts: Sequence[str]) -> list[LabelScores]:
        """One mapping of label -> probability per text, in input order."""
        ...


@runtime_checkable
class QuickScorer(Protocol):
    """A scorer that also has a much cheaper, rougher pass, good enough to rank a comment's sentences."""

    def quick_score(self, texts: Sequence[str]) -> list[LabelScores]:
        """Rough label probabilities per text, for ranking only."""
        ...
