"""A real Perspective client (PyPI `perspective`) talking HTTP to the app on a 127.0.0.1 port."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from perspective import PerspectiveAPI
from werkzeug.serving import make_server


@pytest.fixture(scope="session")
def live_url(app: Flask) -> Iterator[str]:
    """The app served over HTTP on a free local port for the whole session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="perspective-live", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def perspective_client(live_url: str, api_key: str) -> PerspectiveAPI:
    """The client as a newsroom uses it, pointed at us instead of commentanalyzer.googleapis.com."""
    client = PerspectiveAPI(api_key)
    assert client.api_client.url == "https://commentanalyzer.googleapis.com/v1alpha1/{endpoint}"
    client.api_client.url = f"{live_url}/v1alpha1/{{endpoint}}"  # the one setting a newsroom changes
    return client
