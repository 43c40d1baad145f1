"""The newsroom's clause sets: a frozen test set written before any tuning, and the development split of the
written training examples that thresholds are chosen on. Rates per clause, per script, and an operating curve.

Rows: {"text", "clause": personal_attack|inflammatory|defamatory|obscene|none, "violates": bool, "kind",
"script": en|hi-latn|hi-deva|mixed}. A violating row is caught when the full outcome holds it (for defamatory:
routes it to the legal lane); a hard negative of a clause counts against that clause when it is held
(defamatory: routed to legal) for any reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from moderation.benchmarks.case_sets import Rate
from moderation.enums import Action, Lane
from moderation.policy.model import Outcome, Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.scoring import score_texts

BATCH = 64


@dataclass(frozen=True)
class Row:
    text: str
    clause: str
    violates: bool
    kind: str
    script: str


def read_rows(path: Path) -> list[Row]:
    """The rows of one clause-set file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            rows.append(Row(raw["text"], raw["clause"], bool(raw["violates"]), raw.get("kind", ""),
                            raw.get("script", "en")))
    return rows


def _held(o: Outcome) -> bool:
    return o.action is not Action.PUBLISH


def _legal(o: Outcome) -> bool:
    return o.lane is Lane.LEGAL


def _non_english(r: Row) -> bool:
    return r.script != "en"


#: (measure name, row filter, what is counted, bar): the acceptance bars of the newsroom's clauses.
MEASURES: tuple[tuple[str, Callable[[Row], bool], Callable[[Outcome], bool], str], ...] = (
    ("personal attacks held", lambda r: r.clause == "personal_attack" and r.violates, _held, ">= 0.85"),
    ("civil criticism held", lambda r: r.clause == "personal_attack" and not r.violates, _held, "<= 0.05"),
    ("inflammatory and threats held", lambda r: r.clause == "inflammatory" and r.violates, _held, ">= 0.85"),
    ("threats held", lambda r: r.clause == "inflammatory" and r.violates and "threat" in r.kind, _held, ">= 0.85"),
    ("inflammatory hard negatives held", lambda r: r.clause == "inflammatory" and not r.violates, _held, "<= 0.10"),
    ("allegations to legal", lambda r: r.clause == "defamatory" and r.violates, _legal, ">= 0.80"),
    ("opinions, reports, questions to legal", lambda r: r.clause == "defamatory" and not r.violates, _legal,
     "<= 0.10"),
    ("obscene held", lambda r: r.clause == "obscene" and r.violates, _held, ">= 0.90"),
    ("obscene lookalikes held", lambda r: r.clause == "obscene" and not r.violates, _held, "<= 0.05"),
    ("Hinglish/Devanagari violations held", lambda r: _non_english(r) and r.violates, _held, ">= 0.85"),
    ("Hinglish/Devanagari allowed held", lambda r: _non_english(r) and not r.violates, _held, "<= 0.10"),
    ("benign Indian names/identities held", lambda r: r.clause == "none", _held, "<= 0.02"),
)


def outcomes(scorer: Scorer, policy: Policy, texts: Sequence[str]) -> list[Outcome]:
    """Each text's full outcome under `policy`, scored in batches."""
    out: list[Outcome] = []
    for start in range(0, len(texts), BATCH):
        out += score_texts(scorer, policy, texts[start : start + BATCH], evidence=False)
    return out


def measure(rows: Sequence[Row], results: Sequence[Outcome]) -> list[Rate]:
    """Every newsroom measure over the rows and their outcomes (those the rows have no example of left out)."""
    rates = []
    for name, keep, counted, bar in MEASURES:
        picked = [(r, o) for r, o in zip(rows, results, strict=True) if keep(r)]
        if not picked:
            continue
        flags = [counted(o) for _, o in picked]
        expected = bar.startswith(">=")
        misses = tuple(r.text for (r, _), f in zip(picked, flags, strict=True) if f is not expected)
        rates.append(Rate(name, sum(flags), len(picked), bar, misses))
    return rates


def breakdown(rows: Sequence[Row], results: Sequence[Outcome]) -> list[dict[str, Any]]:
    """Per clause, script and violates: how many rows, and the share held (and routed to legal)."""
    groups: dict[tuple[str, str, bool], list[Outcome]] = {}
    for r, o in zip(rows, results, strict=True):
        groups.setdefault((r.clause, r.script, r.violates), []).append(o)
    return [{"clause": c, "script": s, "violates": v, "rows": len(os),
             "held": sum(map(_held, os)) / len(os), "legal": sum(map(_legal, os)) / len(os)}
            for (c, s, v), os in sorted(groups.items())]


#: The score label each clause's curve is drawn on.
CURVE_LABELS = {"personal_attack": "personal_attack", "inflammatory": "inflammatory",
                "defamatory": "defamation_risk", "obscene": "obscenity"}


def curve(rows: Sequence[Row], results: Sequence[Outcome],
          recalls: Sequence[float] = (0.80, 0.85, 0.90, 0.95)) -> dict[str, list[dict[str, float]]]:
    """Per clause: for each target recall of its violations, the threshold on its label that reaches it and the
    share of the clause's hard negatives and of all allowed rows that score at or above it."""
    out: dict[str, list[dict[str, float]]] = {}
    for clause, label in CURVE_LABELS.items():
        scores = np.array([o.scores.get(label, 0.0) for o in results])
        positive = np.array([r.clause == clause and r.violates for r in rows])
        negative = np.array([r.clause == clause and not r.violates for r in rows])
        allowed = np.array([not r.violates for r in rows])
        if not positive.any():
            continue
        ranked = np.sort(scores[positive])[::-1]
        points = []
        for recall in recalls:  # the highest threshold that holds at least this share of the violations
            threshold = float(ranked[max(0, math.ceil(recall * len(ranked) - 1e-9) - 1)])
            points.append({"recall": recall, "threshold": round(threshold, 4),
                           "negatives_held": float((scores[negative] >= threshold).mean()) if negative.any() else 0.0,
                           "allowed_held": float((scores[allowed] >= threshold).mean())})
        out[clause] = points
    return out


def development_rows(written_dir: Path) -> list[Row]:
    """The development split of the written training examples (never trained on; thresholds are chosen here)."""
    from moderation.scoring.clause_training import read_written

    return [Row(w.text, w.clause, w.violates, w.kind, w.script)
            for w in read_written(sorted(written_dir.glob("*.jsonl"))) if w.is_dev]
