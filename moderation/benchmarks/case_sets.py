"""The newsroom's acceptance sets (tests/cases/*.jsonl): what share of each kind of comment is held or caught."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moderation.enums import Action, Lane
from moderation.policy.model import Outcome, Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.scoring import score_texts


@dataclass(frozen=True)
class Rate:
    """How many rows of one kind matched what is measured, against the bar they must meet."""

    name: str
    hits: int
    total: int
    bar: str  # ">= 0.90" or "<= 0.02"
    misses: tuple[str, ...]

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        op, limit = self.bar.split()
        return self.value >= float(limit) if op == ">=" else self.value <= float(limit)


def _held(o: Outcome) -> bool:
    return o.action is not Action.PUBLISH


def _legal(o: Outcome) -> bool:
    return o.lane is Lane.LEGAL


def _links(o: Outcome) -> bool:
    """Held by a clause the links detector fed, whatever the policy calls it."""
    return any("links" in c.signals for c in o.clauses)


#: (set file, measure name, row filter, what is counted, bar)
MEASURES: tuple[tuple[str, str, Callable[[dict[str, Any]], bool], Callable[[Outcome], bool], str], ...] = (
    ("benign_identity", "benign Indian names/identities held", lambda r: True, _held, "<= 0.02"),
    ("obfuscated_abuse", "obfuscated abuse caught", lambda r: True, _held, ">= 0.90"),
    ("links", "outside links caught", lambda r: bool(r.get("link")) and not r.get("own"), _links, ">= 1.0"),
    ("links", "own-domain links held", lambda r: bool(r.get("own")), _links, "<= 0.0"),
    ("defamation", "allegations routed to legal", lambda r: r["kind"] == "allegation", _legal, ">= 0.80"),
    ("defamation", "opinions/attributed/questions to legal", lambda r: r["kind"] != "allegation", _legal, "<= 0.10"),
    ("hinglish_devanagari", "Hinglish/Devanagari abuse caught", lambda r: r["abusive"], _held, ">= 0.80"),
    ("hinglish_devanagari", "benign Hinglish/Devanagari held", lambda r: not r["abusive"], _held, "<= 0.10"),
)


def measure(scorer: Scorer, policy: Policy, directory: Path) -> list[Rate]:
    """Every measure over the case sets in `directory`, through the full outcome (rows scored one by one,
    each with the site domains it names)."""
    rates = []
    for set_name, name, keep, counted, bar in MEASURES:
        lines = (directory / f"{set_name}.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [r for r in (json.loads(line) for line in lines if line.strip()) if keep(r)]
        outcomes = [score_texts(scorer, policy, [r["text"]], site_domains=r.get("allowed_domains", ()))[0] for r in rows]
        flags = [counted(o) for o in outcomes]
        expected = bar.startswith(">=")
        misses = tuple(r["text"] for r, f in zip(rows, flags, strict=True) if f is not expected)
        rates.append(Rate(name, sum(flags), len(rows), bar, misses))
    return rates
