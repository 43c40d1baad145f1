"""A small labelled file in the shared JSONL format, written by the tests (no shared data needed)."""

from __future__ import annotations

import json
from pathlib import Path

BENIGN = [
    "Thank you for covering the water shortage in our ward.", "The metro extension will help commuters a lot.",
    "Good analysis of the monsoon session of Parliament.", "I disagree with the editorial but it is well argued.",
    "The new hospital in Nagpur opened last week.", "Please report more on the farmers in Vidarbha.",
]
TOXIC = [
    "You are a stupid idiot and should shut up.", "What a moronic worthless writer.",
    "Shut up you pathetic clown.", "Only a brainless fool would write this garbage.",
]


def write_sample(path: Path, copies: int = 6, tag: str = "") -> Path:
    """Rows from two sources with some labels null, as in the real training file."""
    rows = []
    for copy in range(copies):
        for i, text in enumerate(BENIGN):
            rows.append({"id": f"news:{tag}{copy}-{i}", "source": "news", "text": f"{text} ({copy})",
                         "labels": {"toxicity": 0, "insult": 0, "obscene": 0, "threat": 0, "identity_attack": 0}})
        for i, text in enumerate(TOXIC):
            rows.append({"id": f"tweets:{tag}{copy}-{i}", "source": "tweets", "text": f"{text} ({copy})",
                         "labels": {"toxicity": 1, "insult": 1, "obscene": None, "threat": None, "identity_attack": None}})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
