"""Load shedding: a request that has already waited longer than SHED_BUDGET_S for a worker thread is answered at
once with 503 and Retry-After (in its surface's format), instead of being served late. Past the sustainable rate
every request would otherwise wait in the worker's queue, where no deadline sees it, for minutes; a shed request
costs a millisecond, so the queue stays short and the requests that are served are served in time.

The time a request waited is known from when gunicorn queued its connection for a worker thread
(`moderation.serving.QueueTimedThreadWorker`, gunicorn.conf.py), or, behind a trusted proxy, from its
`X-Request-Start: t=<unix seconds>` header (deploy/nginx.conf sets it). `/readyz` reports the saturation.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, request

from moderation.unavailable import unavailable

log = logging.getLogger(__name__)

#: Where the serving worker leaves, for the thread handling a request, when the request was queued (monotonic).
_queued = threading.local()
#: The environ key a test (or another server) may set instead: time.monotonic() when the request was queued.
QUEUED_AT_KEY = "moderation.queued_at"
#: Paths that are shed: the machine-facing ones. Health checks answer (readyz says how saturated the worker is);
#: moderators' pages are few and a person is waiting for each.
SHED_PREFIXES = ("/api/", "/v1alpha1/", "/coral/v1/")


def mark_queued(at: float | None) -> None:
    """Called by the serving worker on the thread that is about to handle a request queued at `at`."""
    _queued.at = at


@dataclass
class Saturation:
    """How long this worker's requests wait for a thread, and how many it shed."""

    budget_s: float
    recent_wait_s: float = 0.0  # exponentially weighted, over the last few dozen requests
    shed_total: int = 0
    last_shed_at: float = -math.inf
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def observe(self, waited_s: float) -> bool:
        """Record a request's wait; True when it is to be shed."""
        with self._lock:
            self.recent_wait_s += 0.1 * (waited_s - self.recent_wait_s)
            if waited_s <= self.budget_s:
                return False
            self.shed_total += 1
            self.last_shed_at = time.monotonic()
            return True

    def report(self) -> dict[str, Any]:
        """What /readyz says about the load: the recent wait for a thread, and whether requests are being shed."""
        shedding = time.monotonic() - self.last_shed_at < 10
        return {"queue_wait_ms": round(self.recent_wait_s * 1000, 1), "budget_ms": round(self.budget_s * 1000),
                "shedding": shedding, "shed_total": self.shed_total}


def init_app(app: Flask) -> None:
    """Shed machine-facing requests that waited past SHED_BUDGET_S (before any other work on them)."""
    app.extensions["moderation.saturation"] = Saturation(budget_s=float(app.config["SHED_BUDGET_S"]))
    app.before_request(_shed_if_late)


def saturation() -> Saturation:
    """The current app's saturation figures."""
    value: Saturation = current_app.extensions["moderation.saturation"]
    return value


def _waited_s() -> float | None:
    queued_at = request.environ.get(QUEUED_AT_KEY, getattr(_queued, "at", None))
    if queued_at is not None:
        return max(0.0, time.monotonic() - float(queued_at))
    if current_app.config["TRUSTED_PROXIES"]:
        start = request.headers.get("X-Request-Start", "").removeprefix("t=")
        try:
            return max(0.0, time.time() - float(start))
        except ValueError:
            return None
    return None


def _shed_if_late() -> Response | None:
    if not request.path.startswith(SHED_PREFIXES):
        return None
    waited = _waited_s()
    if waited is None or not saturation().observe(waited):
        return None
    log.warning("overloaded: shed %s %s after %.2fs waiting for a worker thread", request.method, request.path, waited)
    retry_after = min(30, max(1, math.ceil(waited)))
    return unavailable("The service is overloaded; retry after Retry-After seconds (retries are safe).", retry_after)
