"""What every detector returns: findings with character spans into the original text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the original text, and those characters."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, int | str]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Span:
        """A span as `to_dict` stored it."""
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass(frozen=True)
class Finding:
    """One detector hit: which signal (e.g. "links", "banned_words"), how strong (0..1), where and why; `quoted`
    when every span is inside quotation marks (the words are mentioned, as a report quotes them, not used)."""

    signal: str
    score: float
    spans: tuple[Span, ...]
    detail: str = ""
    quoted: bool = False
