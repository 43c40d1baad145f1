"""The scoring workers' safety net: comments left "not scored yet" past a grace period are sent to the workers again.

Late acknowledgement covers a worker killed while scoring; it cannot cover a message the broker handed out and the
worker never read (Redis pops a message before the worker records it as taken: kombu#305, celery#4354), nor a
comment whose hand-off failed when it was stored. Sending a comment twice is harmless: it is decided once.

While scoring tasks are still waiting on the broker, the sweep sends nothing: a comment of a backlog being worked
through is old but not lost, and sending the whole backlog again would double the workers' work. Once nothing is
waiting, an old unscored comment was lost (or its worker killed), so the grace period can be short: the comments
a killed worker had taken are decided seconds after a burst, not after Redis's visibility timeout.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

from flask import Flask

from moderation.db.base import utcnow
from moderation.extensions import database
from moderation.services.comments.rescore import unscored_ids
from moderation.tasks.celery_app import QUEUE
from moderation.tasks.scoring import SCORE_COMMENT

log = logging.getLogger(__name__)

#: Older comments are left to `flask moderation rescore` (or queue-rescore): a comment the workers keep failing on
#: is not sent again for ever.
WINDOW = timedelta(hours=1)


def waiting_tasks(celery: Any) -> int:
    """How many scoring tasks wait on the broker, not yet taken by a worker (none when the queue does not exist)."""
    with celery.connection_for_read() as conn:
        try:
            return int(conn.default_channel.queue_declare(queue=QUEUE, passive=True).message_count)
        except conn.channel_errors:  # Redis drops an emptied queue's key: "not found" is an empty queue
            return 0


def sweep_once(app: Flask) -> int:
    """Send again every comment stored between an hour and SCORING_SWEEP_S ago and still not scored, unless scoring
    tasks are still waiting on the broker; returns how many were sent."""
    celery = app.extensions["moderation.celery"]
    if waiting_tasks(celery):
        return 0
    with app.app_context():
        grace = timedelta(seconds=float(app.config["SCORING_SWEEP_S"]))
        now = utcnow()
        session = database().sessions()
        try:
            ids = unscored_ids(session, stored_after=now - WINDOW, stored_before=now - grace)
        finally:
            session.close()
        task = celery.tasks[SCORE_COMMENT]
        for comment_id in ids:
            task.apply_async(args=[comment_id])
    if ids:
        log.warning("%d comment(s) still not scored after %.0fs were sent to the workers again", len(ids),
                    grace.total_seconds())
    return len(ids)


def start_sweeping(app: Flask) -> threading.Event:
    """Sweep every fifth of SCORING_SWEEP_S (at most once a second) on a daemon thread until the returned event is
    set: a comment is sent again soon after its grace period ends, not up to a whole period later."""
    stop = threading.Event()
    interval = max(1.0, float(app.config["SCORING_SWEEP_S"]) / 5)

    def run() -> None:
        while not stop.wait(interval):
            try:
                sweep_once(app)
            except Exception:  # the database or broker is down: the next round tries again
                log.exception("sweep for unscored comments failed; trying again in %.0fs", interval)

    threading.Thread(target=run, name="scoring-sweep", daemon=True).start()
    return stop
