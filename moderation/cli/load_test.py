"""`flask moderation load-test`: offer comments to a running server at a fixed rate, then check the database."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import click
from flask import current_app

from moderation.benchmarks.load import check_stored, run_hostile, run_load
from moderation.cli.group import group
from moderation.extensions import database, get_session
from moderation.services.errors import NotFoundError
from moderation.services.sites import site_by_name

_TEXTS = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "news-comments.jsonl"


@group.command("load-test")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, help="The server (gunicorn or nginx).")
@click.option("--key", required=True, help="An API key of --site.")
@click.option("--site", "site_name", required=True, help="The site the key belongs to (to check what was stored).")
@click.option("--rate", type=click.FloatRange(min=0.1), default=50, show_default=True, help="Comments a second.")
@click.option("--duration", type=click.FloatRange(min=1), default=60, show_default=True, help="Seconds.")
@click.option("--prefix", default=None, help="External id prefix (default: load-<unix time>).")
@click.option("--timeout", "timeout_s", default=30.0, show_default=True, help="Seconds a client waits for an answer.")
def load_test(url: str, key: str, site_name: str, rate: float, duration: float, prefix: str | None,
              timeout_s: float) -> None:
    """Offer RATE comments a second for DURATION seconds (open loop), then print the rates, statuses and latency
    percentiles, and check in the database (this app's MODERATION_DATABASE_URL, the server's) that every
    acknowledged comment is stored exactly once. Exits 1 if any was lost or duplicated."""
    session = get_session()
    site_id, texts = _site_and_texts(site_name)
    prefix = prefix or f"load-{int(time.time())}"

    def progress(sent: int, answered: int) -> None:
        if sent and sent % int(max(rate, 1) * 30) == 0:
            click.echo(f"  {sent} sent, {answered} answered", err=True)

    run = run_load(url, key, texts, rate=rate, duration_s=duration, prefix=prefix, timeout_s=timeout_s,
                   on_second=progress)
    time.sleep(1.0)  # a request answered as the client gave up may still be committing
    figures = {**run.summary(), "stored": check_stored(session, site_id, run), "prefix": prefix}
    click.echo(json.dumps(figures, indent=2))
    if figures["stored"]["lost"] or figures["stored"]["duplicated"] or figures["stored"]["without_decision"]:
        raise SystemExit(1)


@group.command("hostile-test")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, help="The server (gunicorn or nginx).")
@click.option("--key", required=True, help="A live API key.")
@click.option("--requests", "count", default=2000, show_default=True, help="How many requests.")
def hostile_test(url: str, key: str, count: int) -> None:
    """Send COUNT malformed and hostile requests; print the statuses. Exits 1 on any 5xx other than a 503 (load
    shedding, a spent scoring deadline) or on a request left without an answer."""
    figures = run_hostile(url, key, count)
    click.echo(json.dumps(figures, indent=2))
    if any(int(s) >= 500 and int(s) != 503 or int(s) == 0 for s in figures["statuses"]):
        raise SystemExit(1)


@group.command("async-burst")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, help="The API (MODERATION_SCORING=async).")
@click.option("--key", required=True, help="An API key of --site.")
@click.option("--site", "site_name", required=True, help="The site the key belongs to.")
@click.option("--count", type=click.IntRange(min=1), default=500, show_default=True, help="Comments in the burst.")
@click.option("--clients", type=click.IntRange(min=1), default=32, show_default=True, help="Concurrent clients.")
@click.option("--kill-pid", type=int, default=None, help="A scoring worker's pid to kill (SIGKILL) mid-burst.")
@click.option("--wait", "wait_s", default=120.0, show_default=True, help="Seconds to wait for the decisions.")
def async_burst(url: str, key: str, site_name: str, count: int, clients: int, kill_pid: int | None,
                wait_s: float) -> None:
    """Post COUNT comments at once (each retried on 503 after its Retry-After), wait until the scoring workers
    have decided them all (optionally killing one when a third are decided, mid-burst), then print the timings and check that none was lost or decided twice. Exits 1 if
    any was lost, decided twice or never decided."""
    from moderation.benchmarks.burst import check_decided, post_burst, post_ms, wait_decided

    session = get_session()
    site_id, texts = _site_and_texts(site_name)
    prefix = f"burst-{int(time.time())}"
    started = time.monotonic()
    killed: list[tuple[float, int]] = []
    if kill_pid:  # watch on a thread of its own, so the kill lands while the burst is still being posted
        threading.Thread(target=_kill_when_decided, daemon=True,
                         args=(current_app._get_current_object(), site_id, prefix, count // 3, kill_pid, started,
                               killed)).start()
    statuses, seconds, refused = post_burst(url, key, texts, count=count, prefix=prefix, clients=clients)
    posted_s = time.monotonic() - started
    left = wait_decided(session, site_id, prefix, timeout_s=wait_s)
    decided_s = time.monotonic() - started
    report = {"count": count, "posted_s": round(posted_s, 2), "answers_ms": post_ms(seconds),
              "answer_statuses": dict(sorted(Counter(statuses.values()).items())), "503s_retried": refused,
              "all_decided_s": round(decided_s, 2) if not left else None, "still_unscored": left,
              "worker_killed": {"at_s": round(killed[0][0], 2), "decided_then": killed[0][1]} if killed else None,
              **check_decided(session, site_id, prefix, statuses)}
    click.echo(json.dumps(report, indent=2))
    if left or report["lost"] or report["decided_twice"] or report["never_decided"] or report["scored_twice"]:
        raise SystemExit(1)


@group.command("webhook-outage-test")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, help="The server (gunicorn or nginx).")
@click.option("--key", required=True, help="An API key of --site.")
@click.option("--site", "site_name", required=True,
              help="The site the key belongs to; its webhook must be a local http:// URL with a port (set-webhook).")
@click.option("--rate", type=click.FloatRange(min=0.1), default=2, show_default=True,
              help="Comments a second, posted for the whole outage.")
@click.option("--outage", "outage_s", type=click.FloatRange(min=1), default=600, show_default=True,
              help="Seconds the receiver is down.")
@click.option("--drain-timeout", "drain_s", type=click.FloatRange(min=0), default=600, show_default=True,
              help="Seconds to wait, once the receiver is back, for the worker to deliver the backlog.")
def webhook_outage_test(url: str, key: str, site_name: str, rate: float, outage_s: float, drain_s: float) -> None:
    """Take the site's webhook receiver down (its port refuses connections) while comments are posted at RATE for
    OUTAGE seconds, bring it back, and wait while `flask moderation worker` (run it beside) delivers the backlog.
    The receiver checks every signature with the site's secret and counts deliveries by id; the report says
    what was delivered once, twice, never, still pending or given up, and how long the backlog took to drain.
    Exits 1 unless every event of every stored comment was received exactly once with a valid signature."""
    from moderation.benchmarks.webhook_outage import OutageReceiver, check_deliveries, outage_failed, pending_count

    session = get_session()
    site_id, texts = _site_and_texts(site_name)
    site = site_by_name(session, site_name)
    webhook, secret = site.webhook_url, site.webhook_secret
    session.commit()
    if not webhook or not secret:
        raise click.ClickException(f"site {site_name!r} has no webhook: set-webhook --url http://127.0.0.1:PORT/…")
    try:
        receiver = OutageReceiver(webhook, secret)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    prefix = f"outage-{int(time.time())}"
    try:
        click.echo(f"receiver {webhook} down; posting {rate}/s for {outage_s:g} s", err=True)

        def progress(sent: int, answered: int) -> None:
            if sent and sent % int(max(rate, 1) * 60) == 0:
                click.echo(f"  {sent} sent, {answered} answered", err=True)

        run = run_load(url, key, texts, rate=rate, duration_s=outage_s, prefix=prefix, on_second=progress)
        time.sleep(1.0)  # let the last answers commit
        receiver.up()
        click.echo(f"receiver up; waiting up to {drain_s:g} s for the backlog to drain", err=True)
        deadline, drained_s, reported = time.monotonic() + drain_s, None, time.monotonic()
        while True:
            pending = pending_count(session, site_id, prefix)
            if not pending:
                drained_s = round(time.monotonic() - (receiver.up_at or 0.0), 1)
                break
            if time.monotonic() >= deadline:
                break
            if time.monotonic() - reported >= 60:
                click.echo(f"  {pending} deliveries pending", err=True)
                reported = time.monotonic()
            time.sleep(0.5)
        time.sleep(0.5)  # a delivery recorded as sent has been received; let the receiver finish counting
        report = {"prefix": prefix, "outage_s": outage_s, "comments": run.summary(),
                  "stored": check_stored(session, site_id, run), "drained_s": drained_s,
                  "deliveries": check_deliveries(session, site_id, prefix, receiver)}
    finally:
        receiver.close()
    click.echo(json.dumps(report, indent=2))
    if outage_failed(report):
        raise SystemExit(1)


def _site_and_texts(site_name: str) -> tuple[int, list[str]]:
    """The site's id (a one-line error when there is none) and the comment texts the scripts post."""
    session = get_session()  # the request-less app context's session: the caller reads with it afterwards
    try:
        site_id = site_by_name(session, site_name).id
    except NotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    return site_id, [json.loads(line)["text"] for line in _TEXTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _kill_when_decided(app: Any, site_id: int, prefix: str, decided: int, pid: int, started: float,
                       killed: list[tuple[float, int]]) -> None:
    """SIGKILL `pid` once `decided` comments of the burst are scored (reads through a session of its own)."""
    import os
    import signal

    from moderation.benchmarks.burst import count_scored

    with app.app_context():
        session = database().sessions()
        try:
            while (done := count_scored(session, site_id, prefix)) < decided:
                time.sleep(0.1)
        finally:
            session.close()
    os.kill(pid, signal.SIGKILL)
    killed.append((time.monotonic() - started, done))
