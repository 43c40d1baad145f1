"""gunicorn settings: several worker processes sharing one PostgreSQL database, JSON logs with request ids.

    MODERATION_DATABASE_URL=postgresql+psycopg://user@db/moderation gunicorn wsgi:app

Each worker imports wsgi.py itself (preload_app is off), so every worker builds its own app: its own database
pool and its own copy of the model, loaded in create_app (LOAD_MODEL_AT_START) before it accepts a request.
Model state (PyTorch, or ONNX Runtime sessions and their threads) is never shared across a fork.
"""

from __future__ import annotations

import multiprocessing
import os


def _whole(name: str, default: int, least: int) -> int:
    """A whole-number setting from the environment; a bad one stops gunicorn with one line naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r}: expected a whole number") from None
    if number < least:
        raise SystemExit(f"{name} must be at least {least}, not {number}")
    return number


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
log_level = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
if log_level not in LOG_LEVELS:
    raise SystemExit(f"LOG_LEVEL={log_level!r}: expected one of {', '.join(LOG_LEVELS)}")

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# The model takes CPU per request: about one worker per two cores, each with SCORER_THREADS encoder threads.
workers = _whole("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count() // 2), 1)
# Four threads: the requests in flight share model calls (dynamic batching); more threads only contend for the
# cores and the database, and the slowest answers grow (docs/benchmarks.md, "Fewer threads, a tighter budget").
threads = _whole("GUNICORN_THREADS", 4, 1)
worker_class = "moderation.serving.QueueTimedThreadWorker"  # gthread, telling the app how long requests queued
preload_app = False
timeout = _whole("GUNICORN_TIMEOUT", 60, 1)
graceful_timeout = 30
keepalive = 5
max_requests = _whole("GUNICORN_MAX_REQUESTS", 0, 0)
max_requests_jitter = 100
accesslog = None  # the app logs one JSON line per API request, with its request id
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "moderation.api.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "moderation.api.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"],
                    "stream": "ext://sys.stdout"},
    },
    "root": {"level": log_level, "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}


def post_fork(server, worker):  # noqa: ANN001  (gunicorn's hook signature)
    """Torch threads per worker are set by the scorer; keep tokenizers from spawning their own pools."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def post_worker_init(worker):  # noqa: ANN001
    """The worker's app (and model) is loaded at this point; say so in the log."""
    worker.log.info("worker %s ready: app and model loaded", worker.pid)
