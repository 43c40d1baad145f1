"""What every detector returns: findings with character spans into the original text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the original text, and those characters."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, int | str]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Finding:
    """One detector hit: which signal (e.g. "links", "banned_words"), how strong (0..1), where and why."""

    signal: str
    score: float
    spans: tuple[Span, ...]
    detail: str = ""
