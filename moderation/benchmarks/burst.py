"""A burst for asynchronous scoring: post N comments at once, then watch the database until the scoring workers
have decided them all; count the lost (acknowledged, not stored), the decided twice and the never decided."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.benchmarks.load import _Client, _percentiles, comment_body
from moderation.db.enums import DecisionAction
from moderation.db.models import Comment, Decision, Score

#: Attempts per comment: a 503 (load shed, database down) is retried after its Retry-After, as the API docs tell
#: a site's CMS to do; the same external_id makes a retry safe.
ATTEMPTS = 60


def post_burst(url: str, key: str, texts: Sequence[str], *, count: int, prefix: str, clients: int = 32,
               timeout_s: float = 30.0) -> tuple[dict[str, int], list[float], int]:
    """POST `count` comments (ids `<prefix>-<n>`) from `clients` threads at once, each retried on 503 after its
    Retry-After; (final status by id, seconds from first try to final answer, 503s answered on the way)."""
    client = _Client(url, key, timeout_s)
    statuses: dict[str, int] = {}
    seconds: list[float] = []
    refused: list[int] = []

    def send(index: int) -> None:
        external_id = f"{prefix}-{index}"
        started = time.monotonic()
        body = comment_body(external_id, texts[index % len(texts)], index)
        for _ in range(ATTEMPTS):
            status, retry_after = client.post("/api/v1/comments", body)
            if status != 503:
                break
            refused.append(1)
            time.sleep(float(retry_after) if retry_after and retry_after.isdigit() else 1.0)
        seconds.append(time.monotonic() - started)
        statuses[external_id] = status

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(send, range(count)))
    return statuses, seconds, len(refused)


def wait_decided(session: Session, site_id: int, prefix: str, *, timeout_s: float) -> int:
    """Wait until no comment of the burst is unscored (or `timeout_s`); returns how many still are."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = int(session.scalar(sa.select(sa.func.count()).select_from(Comment).where(
            Comment.site_id == site_id, Comment.external_id.startswith(f"{prefix}-"), Comment.scored.is_(False))) or 0)
        session.commit()
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def count_scored(session: Session, site_id: int, prefix: str) -> int:
    """How many comments of the burst are scored now."""
    count = int(session.scalar(sa.select(sa.func.count()).select_from(Comment).where(
        Comment.site_id == site_id, Comment.external_id.startswith(f"{prefix}-"), Comment.scored.is_(True))) or 0)
    session.commit()
    return count


def check_decided(session: Session, site_id: int, prefix: str, statuses: dict[str, int]) -> dict[str, Any]:
    """Every acknowledged comment stored once, scored once and decided once after its hold; and the decisions."""
    rows = session.execute(sa.select(Comment.id, Comment.external_id, Comment.status).where(
        Comment.site_id == site_id, Comment.external_id.startswith(f"{prefix}-"))).all()
    ids = [row.id for row in rows]
    scores = Counter(session.scalars(sa.select(Score.comment_id).where(Score.comment_id.in_(ids))))
    decided = Counter(session.scalars(sa.select(Decision.comment_id).where(
        Decision.comment_id.in_(ids), Decision.actor == "system", Decision.action != DecisionAction.HOLD_UNSCORED)))
    session.commit()
    acknowledged = {external_id for external_id, status in statuses.items() if status in (200, 201, 202)}
    stored = Counter(row.external_id for row in rows)
    return {
        "acknowledged": len(acknowledged),
        "lost": len(acknowledged - set(stored)),
        "stored_twice": sum(1 for n in stored.values() if n > 1),
        "never_decided": sum(1 for i in ids if decided[i] == 0),
        "decided_twice": sum(1 for n in decided.values() if n > 1),
        "scored_twice": sum(1 for n in scores.values() if n > 1),
        "statuses": dict(Counter(row.status.value for row in rows)),
    }


def post_ms(seconds: Sequence[float]) -> dict[str, float]:
    """The answers' latency percentiles, in ms."""
    return _percentiles(seconds)
