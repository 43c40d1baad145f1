"""Public functional hate-speech suites (HateCheck and its multilingual editions): an acceptance check of the
full outcome, never trained or tuned on, read from a file the operator supplies (the suites are not shipped).

Rows, one JSON object a line: {"text", "label": "hateful" | "non-hateful", "functionality"}. A hateful case
counts when it is held; a non-hateful one counts against us when it is held, except the cases that break another
of the site's guidelines (swearing, abuse aimed at a person), which the policy may hold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from moderation.benchmarks.case_sets import Rate
from moderation.enums import Action
from moderation.policy.model import Outcome

#: Non-hateful functionalities whose cases break another guideline: profanity, and abuse of an individual.
OTHER_GUIDELINE = frozenset({"profanity_nh", "target_indiv_nh"})

#: (hateful held, non-hateful held) bars per edition.
BARS = {"en": (">= 0.85", "<= 0.10"), "hi": (">= 0.75", "<= 0.15")}


@dataclass(frozen=True)
class SuiteRow:
    text: str
    hateful: bool
    functionality: str


def read_suite(path: Path) -> list[SuiteRow]:
    """The cases of one suite file; a row without text or with another label is refused by name."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        if not str(raw.get("text", "")).strip() or raw.get("label") not in ("hateful", "non-hateful"):
            raise ValueError(f"{path}:{number}: a case needs text and a label of 'hateful' or 'non-hateful'")
        rows.append(SuiteRow(raw["text"], raw["label"] == "hateful", str(raw.get("functionality", ""))))
    return rows


def measure(rows: Sequence[SuiteRow], results: Sequence[Outcome], edition: str = "en") -> list[Rate]:
    """Hateful cases held and non-hateful cases held (those of another guideline apart), against the edition's
    bars."""
    hateful_bar, benign_bar = BARS[edition]
    held = [o.action is not Action.PUBLISH for o in results]
    pairs = list(zip(rows, held, strict=True))

    def rate(name: str, picked: list[tuple[SuiteRow, bool]], bar: str) -> Rate:
        expected = bar.startswith(">=")
        return Rate(name, sum(h for _, h in picked), len(picked), bar,
                    tuple(r.text for r, h in picked if h is not expected))

    return [
        rate("hateful cases held", [(r, h) for r, h in pairs if r.hateful], hateful_bar),
        rate("non-hateful cases held", [(r, h) for r, h in pairs
                                        if not r.hateful and r.functionality not in OTHER_GUIDELINE], benign_bar),
    ]


def other_guideline(rows: Sequence[SuiteRow], results: Sequence[Outcome]) -> tuple[int, int]:
    """Of the non-hateful cases that break another guideline (no bar: the policy may hold them), how many were
    held and how many there are."""
    held = [o.action is not Action.PUBLISH for r, o in zip(rows, results, strict=True)
            if not r.hateful and r.functionality in OTHER_GUIDELINE]
    return sum(held), len(held)


def by_functionality(rows: Sequence[SuiteRow], results: Sequence[Outcome]) -> list[tuple[str, bool, int, float]]:
    """Per functionality: whether it is hateful, its case count and the share held."""
    groups: dict[tuple[str, bool], list[bool]] = {}
    for r, o in zip(rows, results, strict=True):
        groups.setdefault((r.functionality, r.hateful), []).append(o.action is not Action.PUBLISH)
    return [(f, h, len(v), sum(v) / len(v)) for (f, h), v in sorted(groups.items())]
