"""gunicorn settings: several worker processes sharing one PostgreSQL database, JSON logs with request ids.

    MODERATION_DATABASE_URL=postgresql+psycopg://user@db/moderation gunicorn wsgi:app

Each worker imports wsgi.py itself (preload_app is off), so every worker builds its own app: its own database
pool and its own copy of the model, loaded in create_app (LOAD_MODEL_AT_START) before it accepts a request.
Model state (PyTorch, or ONNX Runtime sessions and their threads) is never shared across a fork.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# The model takes CPU per request: about one worker per two cores, each with SCORER_THREADS encoder threads.
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count() // 2)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
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
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["console"]},
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
