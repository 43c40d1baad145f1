"""Reading labelled comments in the shared JSON Lines format and splitting them reproducibly."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Percentage of each source held out for validation, chosen by a hash of the row id.
VALIDATION_PERCENT = 10


@dataclass(frozen=True)
class LabelledComment:
    """One row: text, where it came from and its labels (None where the source does not say)."""

    id: str
    source: str
    text: str
    labels: dict[str, int | None]


def is_validation(row_id: str) -> bool:
    """Whether a row belongs to the validation split; stable across machines and runs."""
    digest = hashlib.sha256(row_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < VALIDATION_PERCENT


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
            )


def split(rows: Iterable[LabelledComment]) -> tuple[list[LabelledComment], list[LabelledComment]]:
    """Split rows into (train, validation) by id hash; each source keeps about the same share."""
    train: list[LabelledComment] = []
    validation: list[LabelledComment] = []
    for row in rows:
        (validation if is_validation(row.id) else train).append(row)
    return train, validation


def label_matrix(rows: Sequence[LabelledComment], labels: Sequence[str]) -> list[list[float | None]]:
    """Targets per row and label, None where unlabelled (masked out of the loss and the metrics)."""
    return [[None if row.labels.get(name) is None else float(row.labels[name]) for name in labels] for row in rows]
