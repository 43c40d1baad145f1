"""`flask moderation load-test` against a live server: open-loop rates, statuses, percentiles, and the check that
every acknowledged comment is stored once."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest
from werkzeug.serving import make_server


@pytest.fixture
def live_url(app, fixed_scorer):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_load_test_offers_the_rate_and_checks_what_was_stored(runner, live_url, api_key):
    result = runner.invoke(args=["moderation", "load-test", "--url", live_url, "--key", api_key,
                                 "--site", "Daily Chronicle", "--rate", "20", "--duration", "2", "--prefix", "t"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output[result.output.index("{"):])
    assert figures["requests"] == 40 and figures["statuses"] == {"201": 40}
    assert figures["stored"] == {"acknowledged": 40, "lost": 0, "duplicated": 0, "without_decision": 0,
                                 "stored_though_refused": 0}
    assert 0 < figures["stored_ms"]["p50"] <= figures["stored_ms"]["p99"]


def test_load_test_fails_when_acknowledged_comments_are_missing(runner, live_url, api_key, app, monkeypatch):
    from moderation.benchmarks import load

    real = load.check_stored

    def forgetful(session, site_id, run):
        run.results.append(load.Result("t-999", 201, 0.01))  # acknowledged, never stored
        return real(session, site_id, run)

    monkeypatch.setattr("moderation.cli.load_test.check_stored", forgetful)
    result = runner.invoke(args=["moderation", "load-test", "--url", live_url, "--key", api_key,
                                 "--site", "Daily Chronicle", "--rate", "10", "--duration", "1", "--prefix", "t"])
    assert result.exit_code == 1 and '"lost": 1' in result.output


def test_hostile_requests_get_no_server_error(runner, live_url, api_key):
    result = runner.invoke(args=["moderation", "hostile-test", "--url", live_url, "--key", api_key, "--requests", "60"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output[result.output.index("{"):])
    assert sum(figures["statuses"].values()) == 60
    # Refused with a client error, or (control characters around visible text, a repeat) accepted: never a 5xx.
    assert set(figures["statuses"]) <= {"200", "201", "400", "404", "405", "413", "415", "422", "429"}, figures
    assert sum(v for k, v in figures["statuses"].items() if k.startswith("4")) >= 50


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hooked_key(make_api_key):
    """A key of a site whose webhook points at a free local port (where the outage test's receiver will be)."""
    return make_api_key("Hooked", domains=("hooked.example",), webhook_url=f"http://127.0.0.1:{_free_port()}/hooks")


@pytest.fixture
def webhook_worker(app):
    """`flask moderation worker`'s dispatcher on a thread, with back-off in fractions of a second."""
    from moderation.cli.worker import SiteDispatcher
    from moderation.extensions import database
    from moderation.services.webhooks import RetryPolicy

    stop = threading.Event()
    with app.app_context():
        dispatcher = SiteDispatcher(database().sessions, concurrency=2,
                                    retry=RetryPolicy(base_delay_s=0.2, max_delay_s=0.5, send_timeout_s=2))

    def loop() -> None:
        while not stop.is_set():
            dispatcher.dispatch()
            with contextlib.suppress(Exception):  # a failed round is retried, as the worker does
                dispatcher.wait()
            stop.wait(0.1)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()
    dispatcher.close()


def test_webhook_outage_test_delivers_every_event_once_after_the_receiver_is_back(runner, live_url, hooked_key,
                                                                                    webhook_worker):
    result = runner.invoke(args=["moderation", "webhook-outage-test", "--url", live_url, "--key", hooked_key,
                                 "--site", "Hooked", "--rate", "4", "--outage", "2", "--drain-timeout", "30"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert report["stored"]["acknowledged"] == 8 and report["stored"]["lost"] == 0
    deliveries = report["deliveries"]
    assert deliveries["events"] == deliveries["delivered"] == deliveries["received_once"] == 8
    assert deliveries["received_twice_or_more"] == deliveries["bad_signatures"] == deliveries["still_pending"] == 0
    assert deliveries["attempts_per_delivery"]["max"] >= 2  # the first ones were refused while the receiver was down
    assert report["drained_s"] is not None


def test_webhook_outage_test_fails_while_deliveries_are_left_pending(runner, live_url, hooked_key):
    result = runner.invoke(args=["moderation", "webhook-outage-test", "--url", live_url, "--key", hooked_key,
                                 "--site", "Hooked", "--rate", "2", "--outage", "1", "--drain-timeout", "0"])
    assert result.exit_code == 1
    report = json.loads(result.output[result.output.index("{"):])
    assert report["deliveries"]["still_pending"] == 2 and report["drained_s"] is None


def test_the_outage_receiver_refuses_connections_until_up_and_checks_signatures():
    from moderation.benchmarks.webhook_outage import OutageReceiver
    from moderation.services.webhooks import sign

    port = _free_port()
    receiver = OutageReceiver(f"http://127.0.0.1:{port}/hooks", "site-secret")
    try:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        receiver.up()
        body = b'{"event": "comment.status_changed"}'
        for secret, delivery in (("site-secret", "7"), ("site-secret", "7"), ("another-secret", "8")):
            request = urllib.request.Request(f"http://127.0.0.1:{port}/hooks", data=body, method="POST", headers={
                "X-Moderation-Delivery": delivery, "X-Moderation-Signature": sign(secret, int(time.time()), body)})
            try:
                urllib.request.urlopen(request, timeout=5).close()
            except urllib.error.HTTPError as exc:
                assert exc.code == 401
        assert receiver.received == {7: 2} and receiver.bad_signatures == 1
    finally:
        receiver.close()
