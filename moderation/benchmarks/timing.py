"""Timing a benchmark's operation: the best of several runs after one that warms the caches."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_ms(run: Callable[[], Any], repeats: int) -> float:
    """The fastest of `repeats` runs of `run`, in milliseconds, after a first run that warms the database's caches."""
    run()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)
