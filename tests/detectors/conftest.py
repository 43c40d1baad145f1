"""Loading the newsroom case sets (tests/cases/*.jsonl) that the detectors are judged on."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).resolve().parent.parent / "cases"


def read_cases(name: str) -> list[dict[str, Any]]:
    """The rows of tests/cases/<name>.jsonl."""
    with (CASES / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture
def cases() -> Callable[[str], list[dict[str, Any]]]:
    return read_cases
