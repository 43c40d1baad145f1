"""The gunicorn worker the service runs on (gunicorn.conf.py): gunicorn's threaded worker, telling the app when
each request was queued for a thread, so that a request that waited too long is shed (`moderation.shedding`)."""

from __future__ import annotations

import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from moderation.shedding import mark_queued


class QueueTimedThreadWorker(ThreadWorker):
    """gthread, stamping each connection when it is queued for a thread (a new connection, or a kept-alive one
    with its next request) and handing that time to the thread that handles it."""

    def enqueue_req(self, conn: Any) -> None:
        conn.queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        mark_queued(getattr(conn, "queued_at", None))
        try:
            return super().handle(conn)
        finally:
            mark_queued(None)
