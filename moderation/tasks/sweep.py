"""The scoring workers' safety net: comments left "not scored yet" past a grace period are sent to the workers again.

Late acknowledgement covers a worker killed while scoring; it cannot cover a message the broker handed out and the
worker never read (Redis pops a message before the worker records it as taken: kombu#305, celery#4354), nor a
comment whose hand-off failed when it was stored. Sending a comment twice is harmless: it is decided once.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from flask import Flask

from moderation.db.base import utcnow
from moderation.extensions import database
from moderation.services.comments.rescore import unscored_ids
from moderation.tasks.scoring import SCORE_COMMENT

log = logging.getLogger(__name__)

#: Older comments are left to `flask moderation rescore` (or queue-rescore): a comment the workers keep failing on
#: is not sent again for ever.
WINDOW = timedelta(hours=1)


def sweep_once(app: Flask) -> int:
    """Send again every comment stored between an hour and SCORING_SWEEP_S ago and still not scored; returns how many."""
    with app.app_context():
        grace = timedelta(seconds=float(app.config["SCORING_SWEEP_S"]))
        now = utcnow()
        session = database().sessions()
        try:
            ids = unscored_ids(session, stored_after=now - WINDOW, stored_before=now - grace)
        finally:
            session.close()
        task = app.extensions["moderation.celery"].tasks[SCORE_COMMENT]
        for comment_id in ids:
            task.apply_async(args=[comment_id])
    if ids:
        log.warning("%d comment(s) still not scored after %.0fs were sent to the workers again", len(ids),
                    grace.total_seconds())
    return len(ids)


def start_sweeping(app: Flask) -> threading.Event:
    """Sweep every SCORING_SWEEP_S on a daemon thread until the returned event is set."""
    stop = threading.Event()
    interval = float(app.config["SCORING_SWEEP_S"])

    def run() -> None:
        while not stop.wait(interval):
            try:
                sweep_once(app)
            except Exception:  # the database or broker is down: the next round tries again
                log.exception("sweep for unscored comments failed; trying again in %.0fs", interval)

    threading.Thread(target=run, name="scoring-sweep", daemon=True).start()
    return stop
