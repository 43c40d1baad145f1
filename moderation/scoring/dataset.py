"""Reading labelled comments in the shared JSON Lines format and splitting them reproducibly."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

#: Percentage of each source held out for validation, chosen by a hash of the row id.
VALIDATION_PERCENT = 10


@dataclass(frozen=True)
class LabelledComment:
    """One row: text, where it came from and its labels (None where the source does not say)."""

    id: str
    source: str
    text: str
    labels: dict[str, int | None]
    #: The source's own columns, as the file gives them.
    source_labels: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def agreement(self) -> dict[str, float]:
        """Share of the annotators who gave each label, where the source publishes its annotator counts."""
        return annotator_shares(self.source_labels)


def hash_percentile(key: str, part: int = 0) -> int:
    """0-99 from the sha256 of `key` (its `part`-th 4 bytes): a split stable across machines and runs, and
    independent of another split that reads a different part."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[4 * part : 4 * part + 4], "big") % 100


def is_validation(row_id: str) -> bool:
    """Whether a row belongs to the validation split; stable across machines and runs."""
    return hash_percentile(row_id) < VALIDATION_PERCENT


def read_jsonl(path: str | Path) -> Iterator[LabelledComment]:
    """Yield the labelled comments of a JSONL file (gzip when named .gz); label values other than 0/1/null are refused."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            labels = row.get("labels") or {}
            for name, value in labels.items():
                if value not in (0, 1, None):
                    raise ValueError(f"{path}:{number}: label {name!r} must be 0, 1 or null, not {value!r}")
            yield LabelledComment(
                id=str(row.get("id", number)),
                source=str(row.get("source", "unknown")),
                text=row["text"],
                labels=dict(labels),
                source_labels=dict(row.get("source_labels") or {}),
            )


#: The source of a row exported from a site's moderator decisions (`flask moderation export-decisions`).
DECISIONS_PREFIX = "decisions:"


def read_decisions(path: str | Path) -> list[LabelledComment]:
    """The rows of an exported decisions file; a row of any other source is refused (a decisions file is given
    where a site's own line is meant, so a shared data file passed by mistake must not train as one)."""
    rows = list(read_jsonl(path))
    for row in rows:
        if not row.source.startswith(DECISIONS_PREFIX):
            raise ValueError(f"{path}: row {row.id!r} is not an exported decision (source {row.source!r})")
    return rows

def annotator_shares(source_labels: Mapping[str, Any]) -> dict[str, float]:
    """Per label, the share of annotators who gave it, from the counts two sources publish beside their majority
    labels: Civil Comments toxic spans (`n_annotators`, `n_not_toxic`, `n_insult`, …) and Davidson et al.
    (`count`, `neither`, `hate_speech`). Empty for sources that publish only the verdict."""
    columns = {"toxicity": "n_not_toxic", "insult": "n_insult", "threat": "n_threat",
               "identity_attack": "n_identity_attack", "obscene": "n_profane_obscene"}
    try:
        if "n_annotators" in source_labels:
            total = float(source_labels["n_annotators"])
            counts = {label: float(source_labels[column]) for label, column in columns.items()}
            counts["toxicity"] = total - counts["toxicity"]  # everyone who did not call it not toxic
        elif "count" in source_labels and "neither" in source_labels:
            total = float(source_labels["count"])
            counts = {"toxicity": total - float(source_labels["neither"]),
                      "identity_attack": float(source_labels["hate_speech"])}
        else:
            return {}
    except (KeyError, TypeError, ValueError):
        return {}
    return {label: min(1.0, max(0.0, count / total)) for label, count in counts.items()} if total > 0 else {}


def split(rows: Iterable[LabelledComment]) -> tuple[list[LabelledComment], list[LabelledComment]]:
    """Split rows into (train, validation) by id hash; each source keeps about the same share."""
    train: list[LabelledComment] = []
    validation: list[LabelledComment] = []
    for row in rows:
        (validation if is_validation(row.id) else train).append(row)
    return train, validation


def label_matrix(rows: Sequence[LabelledComment], labels: Sequence[str], *, soft: bool = False) -> list[list[float | None]]:
    """Targets per row and label, None where unlabelled (masked out of the loss and the metrics); with `soft`, the
    annotators' agreement stands in for the majority label where the source publishes it."""
    return [[_target(row, name, soft) for name in labels] for row in rows]


def _target(row: LabelledComment, name: str, soft: bool) -> float | None:
    value = row.labels.get(name)
    if value is None:
        return None
    return row.agreement.get(name, float(value)) if soft else float(value)
