"""The Celery app of a Flask app: the broker from MODERATION_CELERY_BROKER, late acks, one task per worker thread.

Nothing connects until a task is sent or a worker starts; in sync mode nothing is ever sent.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask, current_app

#: The queue the scoring tasks travel on (a broker can be shared with other services).
QUEUE = "moderation.scoring"


def init_app(app: Flask) -> Celery:
    """Build the app's Celery app, register the tasks on it and keep it in `app.extensions`."""
    from moderation.tasks import jobs, scoring

    class AppTask(Task):  # type: ignore[misc]  # celery ships no types
        """A task that runs inside the Flask app's context, as a CLI command does."""

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    visibility = float(app.config["CELERY_VISIBILITY_TIMEOUT_S"])
    celery = Celery(app.import_name, task_cls=AppTask, set_as_current=False)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER"],
        task_default_queue=QUEUE,
        task_serializer="json", accept_content=["json"],
        # A comment's outcome is in the database and goes out by webhook: no result kept. Only the parts of a job
        # (replay, export) send theirs back, through the result backend, to the command that gathers them.
        task_ignore_result=True, result_backend=result_backend(app.config), result_expires=24 * 3600,
        # A task is acknowledged when it ends, so one a killed worker had taken is handed to another worker;
        # the task itself makes sure a comment is decided once however often it runs.
        task_acks_late=True, task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a worker holds only what it runs: the others take the rest of a burst
        # Redis: a task taken and not acknowledged within `visibility` seconds is handed out again; running workers
        # look for such tasks every fifth of it (kombu's default sweep is every 100 s, whatever the timeout).
        broker_transport_options={"visibility_timeout": visibility, "unacked_restore_interval": max(1.0, visibility / 5),
                                  "unacked_restore_throttle": 1},
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=2.0,
        # A request hands on its comment quickly or not at all (the comment stays held for `rescore`).
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.5},
        worker_hijack_root_logger=False,
    )
    scoring.register(celery)
    jobs.register(celery)
    app.extensions["moderation.celery"] = celery
    return celery


def result_backend(config: Any) -> str:
    """MODERATION_CELERY_RESULT_BACKEND, or by default the Redis broker itself (RabbitMQ: results as messages)."""
    if config["CELERY_RESULT_BACKEND"]:
        return str(config["CELERY_RESULT_BACKEND"])
    broker = str(config["CELERY_BROKER"])
    if broker.startswith(("redis://", "rediss://")):
        return broker
    return "rpc://" if broker.startswith("amqp") else "cache+memory://"


def get_celery() -> Celery:
    """The current app's Celery app."""
    celery: Celery = current_app.extensions["moderation.celery"]
    return celery
