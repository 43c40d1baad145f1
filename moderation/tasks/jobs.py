"""Long reads split across the scoring workers: policy replay and the decisions export, an id range per task.

The command that starts a job (`flask moderation replay --on-workers`, `export-decisions --on-workers`) splits the
history into id ranges (`services.learning.chunks`), keeps a few ranges' tasks in flight on the jobs queue, and
reads their results back in id order through the result backend, merging or writing each as it comes: the command,
the workers and the backend each hold a few ranges at a time, however long the history. The tasks only read, so a
range run twice (its worker was killed) gives the same part.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from celery import Celery
from flask import current_app
from kombu.exceptions import OperationalError
from sqlalchemy.orm import Session

from moderation.db.models import Comment, Decision
from moderation.extensions import database, resources
from moderation.policy.loader import load_policy_text
from moderation.policy.model import Named
from moderation.scoring.clauses import CLAUSE_LABELS
from moderation.services.learning.chunks import IdRange, id_ranges
from moderation.services.learning.decisions import DecisionFilter, labelled_ids, site_policy_names
from moderation.services.learning.export import export_rows
from moderation.services.learning.replay import Replay, ReplayFilter, comment_ids, replay_policy
from moderation.services.learning.replay_parts import merge_parts, replay_part

log = logging.getLogger(__name__)

#: The queue of job parts: the scoring workers take from it and from the scoring queue in turn, so a long replay
#: does not hold up the comments waiting to be scored.
JOBS_QUEUE = "moderation.jobs"
REPLAY_PART = "moderation.replay_part"
EXPORT_PART = "moderation.export_part"


class JobError(Exception):
    """A part of a job failed on its worker, or no worker answered in time."""


def register(celery: Celery) -> None:
    """Register the job tasks on `celery` (their results go back through the result backend)."""
    celery.task(name=REPLAY_PART, ignore_result=False)(replay_range)
    celery.task(name=EXPORT_PART, ignore_result=False)(export_range)


def replay_range(policy_text: str, policy_name: str, site: str | None, since: str | None, first: int, last: int,
                 batch: int) -> dict[str, Any]:
    """The replay of the comments with ids first..last under the candidate policy (its TOML text, read as if it
    were file `policy_name` of the worker's policy folder), as `replay_parts.replay_part` data."""
    candidate = load_policy_text(policy_text, Path(current_app.config["POLICY_DIR"]) / policy_name)
    session = database().sessions()
    try:
        report = replay_policy(session, candidate, resources().policies, ReplayFilter(site, _moment(since)),
                               batch=batch, ids=IdRange(first, last))
    finally:
        session.close()
    return replay_part(report)


def export_range(site: str | None, since: str | None, first: int, last: int) -> list[dict[str, Any]]:
    """The training rows of the decisions with ids first..last, in id order."""
    session = database().sessions()
    try:
        return list(export_rows(session, resources().policies, DecisionFilter(site, _moment(since)), CLAUSE_LABELS,
                                ids=IdRange(first, last)))
    finally:
        session.close()


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def run_parts(
    celery: Celery, task_name: str, ranges: Iterable[IdRange], args: Callable[[IdRange], list[Any]], *,
    in_flight: int, timeout_s: float,
) -> Iterator[Any]:
    """Send a task per id range, at most `in_flight` waiting at once, and yield their results in range order.

    Raises JobError when a part fails on its worker, or when none comes back within `timeout_s` (no worker
    running, or all of them stuck); the parts still waiting are revoked."""
    from celery.exceptions import TimeoutError as CeleryTimeout

    task = celery.tasks[task_name]
    pending: deque[tuple[IdRange, Any]] = deque()
    todo = iter(ranges)
    try:
        while True:
            while len(pending) < in_flight:
                part = next(todo, None)
                if part is None:
                    break
                try:
                    sent = task.apply_async(args=args(part), queue=JOBS_QUEUE)
                except OperationalError as exc:
                    raise JobError(f"the broker could not be reached ({exc}): nothing more was sent") from exc
                pending.append((part, sent))
            if not pending:
                return
            part, result = pending.popleft()
            try:
                value = result.get(timeout=timeout_s, propagate=True)
            except CeleryTimeout:
                result.revoke()
                raise JobError(f"no scoring worker finished ids {part.first}-{part.last} within {timeout_s:g}s: "
                               "are workers running (flask moderation scoring-worker) on this broker?") from None
            except Exception as exc:
                raise JobError(f"ids {part.first}-{part.last} failed on a worker: {exc!r}") from exc
            finally:
                result.forget()
            yield value
    finally:
        for _, result in pending:  # given up (an error, or the reader stopped): nobody will read them
            result.revoke()
            result.forget()


@dataclass(frozen=True)
class Split:
    """How a job is split: ids per part, parts sent ahead of the one read, seconds to wait for each part."""

    size: int
    in_flight: int
    timeout_s: float


def replay_on_workers(
    celery: Celery, session: Session, policy_file: Path, flt: ReplayFilter, split: Split, *, batch: int,
    progress: Callable[[int], None] | None = None,
) -> Replay:
    """`replay_policy` over the whole history, a part per id range on the scoring workers, merged in id order."""
    text = policy_file.read_text(encoding="utf-8")
    candidate = load_policy_text(text, policy_file)  # refused here, before anything is sent
    sites = sorted(site_policy_names(session))
    session.rollback()
    since = flt.since.isoformat() if flt.since else None

    def args(part: IdRange) -> list[Any]:
        return [text, policy_file.name, flt.site, since, part.first, part.last, batch]

    parts = run_parts(celery, REPLAY_PART, id_ranges(session, comment_ids(flt), Comment.id, split.size), args,
                      in_flight=split.in_flight, timeout_s=split.timeout_s)
    return merge_parts(Named(candidate.name, candidate.version), flt, sites, _counted(parts, progress))


def export_on_workers(celery: Celery, session: Session, flt: DecisionFilter, split: Split) -> Iterator[dict[str, Any]]:
    """`export_rows` over the whole history, a part per id range on the scoring workers, in id order."""
    since = flt.since.isoformat() if flt.since else None

    def args(part: IdRange) -> list[Any]:
        return [flt.site, since, part.first, part.last]

    for rows in run_parts(celery, EXPORT_PART, id_ranges(session, labelled_ids(flt), Decision.id, split.size), args,
                          in_flight=split.in_flight, timeout_s=split.timeout_s):
        yield from rows


def _counted(parts: Iterable[dict[str, Any]], progress: Callable[[int], None] | None) -> Iterator[dict[str, Any]]:
    for part in parts:
        if progress is not None:
            progress(part["comments"])
        yield part
