"""The scoring task: score a stored comment and, while it is still held unscored, decide it by its site's policy.

The decision is recorded (and its webhook queued) by the same service as `flask moderation rescore`, which locks
the comment's row: a task delivered twice, or run by two workers at once, decides the comment once.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task
from flask import current_app

from moderation.extensions import database, get_policy, get_scorer
from moderation.services.comments.rescore import rescore_comment
from moderation.services.comments.submit import Defer

log = logging.getLogger(__name__)

SCORE_COMMENT = "moderation.score_comment"


def register(celery: Celery) -> None:
    """Register the scoring task on `celery`."""
    celery.task(name=SCORE_COMMENT, bind=True, max_retries=None)(score_comment)


def score_comment(task: Task, comment_id: int) -> bool:
    """Score and decide one comment; retried with back-off when scoring or the database fails."""
    retries = int(current_app.config["SCORING_TASK_RETRIES"])
    session = database().sessions()
    try:
        scored = rescore_comment(session, get_scorer(), get_policy, comment_id,
                                 timeout_s=float(current_app.config["RESCORE_TIMEOUT_S"]))
        failure: Exception | None = None
    except Exception as exc:  # noqa: BLE001  (a database outage: tried again below, like a scoring failure)
        session.rollback()
        scored, failure = False, exc
    finally:
        session.close()
    if scored:
        return True
    attempt = task.request.retries
    if attempt >= retries:
        log.error("comment %s still not scored after %d attempt(s); it stays held for review and `rescore`",
                  comment_id, attempt + 1, exc_info=failure)
        return False
    log.warning("comment %s not scored (attempt %d); trying again", comment_id, attempt + 1, exc_info=failure)
    raise task.retry(countdown=min(60, 2 ** attempt), exc=failure)


def defer_scoring() -> Defer | None:
    """In async mode, what hands a stored comment to the scoring workers; None in sync mode (score in the request)."""
    if current_app.config["SCORING"] != "async":
        return None
    task: Any = current_app.extensions["moderation.celery"].tasks[SCORE_COMMENT]

    def send(comment_id: int) -> None:
        task.apply_async(args=[comment_id])

    return send
