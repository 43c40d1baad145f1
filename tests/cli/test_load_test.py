"""`flask moderation load-test` against a live server: open-loop rates, statuses, percentiles, and the check that
every acknowledged comment is stored once."""

from __future__ import annotations

import json
import threading

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
