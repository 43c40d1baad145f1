"""Starting a scoring worker: the model loaded once in this process, then Celery's worker on a pool of threads.

Threads rather than forked processes: the model is loaded once and shared, and concurrent tasks share model calls
through the batching scorer (as concurrent requests do in the API). Run one worker per machine (or per 2 cores)
and as many machines as the load needs.
"""

from __future__ import annotations

import logging

from flask import Flask

from moderation.detectors.registry import warm_up
from moderation.policy.loader import check_labels
from moderation.tasks.celery_app import QUEUE
from moderation.tasks.jobs import JOBS_QUEUE
from moderation.tasks.sweep import start_sweeping

log = logging.getLogger(__name__)


def run_worker(app: Flask, *, concurrency: int, loglevel: str = "INFO", hostname: str | None = None) -> None:
    """Load the app's model, then consume scoring tasks until stopped (SIGTERM: finish the tasks running)."""
    res = app.extensions["moderation"]
    with app.app_context():
        res.scorer.load()
        check_labels(res.policies.values(), res.scorer.name, res.scorer.labels)
        warm_up()
    celery = app.extensions["moderation.celery"]
    # Comments to score, and the parts of replay and export jobs (taken in turn with the comments).
    argv = ["worker", "--pool=threads", f"--concurrency={concurrency}", f"--loglevel={loglevel}",
            "-Q", f"{QUEUE},{JOBS_QUEUE}", "--without-gossip", "--without-mingle"]
    if hostname:
        argv.append(f"--hostname={hostname}")
    log.info("scoring worker starting: %d threads, broker %s", concurrency, celery.conf.broker_url)
    stop = start_sweeping(app)
    try:
        celery.worker_main(argv)
    finally:
        stop.set()
