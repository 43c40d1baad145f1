"""Request ids and structured JSON logs: every log line of a request carries its id."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context, request

log = logging.getLogger("moderation.requests")
_VALID_ID = re.compile(r"[A-Za-z0-9._\-]{1,128}")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


def init_app(app: Flask) -> None:
    """Give each request an id (the caller's X-Request-ID when sane) and log one line per API request."""
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _site_id(site: Any) -> int | None:
    """The calling site's id as loaded, without a query: after a rolled-back transaction (a database outage) the
    object is expired, and reading `site.id` would go back to the database that just failed."""
    if site is None:
        return None
    identity = sa.inspect(site).identity
    return int(identity[0]) if identity else None


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if request.path.startswith("/api/"):
        site = g.get("site")
        log.info("request", extra={
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1),
            "site_id": _site_id(site), "request_id": g.get("request_id"),
        })
    return response
