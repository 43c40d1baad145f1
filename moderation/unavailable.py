"""503 Service Unavailable with Retry-After, on every surface in its own format: when the database cannot be
reached (stopped, restarting, failing over, out of connections), the request is refused at once and the client
is told when to try again, instead of a 500 that reads like a bug. Retrying is safe: comments, reports and
edits are idempotent by the site's own ids, and a refused request stored nothing (its transaction rolled back).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, make_response
from werkzeug.exceptions import ServiceUnavailable

log = logging.getLogger(__name__)

#: Where a 503 keeps its own Retry-After for `moderation.api.limits`, whose rate-limit headers would stretch it.
RETRY_AFTER_KEY = "retry_after_s"
#: Seconds a client is asked to wait before retrying: about a database restart or a failover.
RETRY_AFTER_S = 5

#: Errors that mean "the database is not there right now", not "this request is wrong": a refused or dropped
#: connection, a server shutting down, SQLite's lock held past its busy timeout, no pooled connection free.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError, sa.exc.TimeoutError,
)


def init_app(app: Flask) -> None:
    """Answer database outages with 503 and Retry-After, in the format of the surface that was called."""
    for error in OUTAGE_ERRORS:
        app.register_error_handler(error, _database_unavailable)


def unavailable(description: str, retry_after_s: int) -> Response:
    """A 503 with Retry-After, rendered by whichever error format the request's path has (problem+json on the
    JSON API, Google's error format on the Perspective routes, JSON for Coral, the queue's error page)."""
    error = ServiceUnavailable(description=description, retry_after=retry_after_s)
    response = make_response(current_app.handle_http_exception(error))
    response.headers["Retry-After"] = str(retry_after_s)
    g.setdefault(RETRY_AFTER_KEY, retry_after_s)  # kept past the rate limiter's headers (moderation.api.limits)
    return response


def _database_unavailable(error: Exception) -> Response:
    log.warning("database unavailable, answering 503: %s", _first_line(error))
    return unavailable("The database is unavailable; retry after a few seconds (retries are safe).", RETRY_AFTER_S)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
