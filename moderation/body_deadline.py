"""A request body must arrive within a deadline (BODY_TIMEOUT_S), or the request is answered 408 and its
connection closed: a client that sends its headers and then trickles the body would otherwise hold one of the
worker's threads for as long as it likes, and a handful of them starve the worker (health probes included).

This bounds the body, which gunicorn leaves to the application to read. Headers that trickle are read by gunicorn
before the application sees the request, and only a buffering proxy in front bounds them: see deploy/nginx.conf
and docs/operations.md ("Slow clients").
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import RequestTimeout

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
#: A body the application did not read (a request refused before its body mattered) is read and dropped up to
#: this many bytes, within the deadline, so the connection can serve its next request; past it, it is closed.
DRAIN_LIMIT = 9 * 1024 * 1024


class _Watchdog:
    """One thread per process that stops reading the connections whose body deadline has passed (a blocked read
    on them then returns at once: gunicorn reads a body in a loop of socket reads, each of which a trickling
    client can keep short, so no per-read timeout bounds the whole)."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, _DeadlineInput]] = []
        self._wake = threading.Condition()
        self._count = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, body: _DeadlineInput) -> None:
        with self._wake:
            heapq.heappush(self._due, (body.deadline, next(self._count), body))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="body-deadline", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._wake.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _, _, body = heapq.heappop(self._due)
            body.expire()


class _DeadlineInput:
    """`wsgi.input` that stops at `deadline`: the watchdog then shuts the connection's reading side, and a read
    that ends short because of it is a RequestTimeout (408) rather than a disconnected client."""

    def __init__(self, stream: Any, sock: socket.socket, deadline: float) -> None:
        self._stream, self._sock, self.deadline = stream, sock, deadline
        self.expired = self.done = False

    def read(self, size: int | None = -1) -> bytes:
        return self._checked(self._stream.read(size))

    def readline(self, size: int | None = -1) -> bytes:
        return self._checked(self._stream.readline(size))

    def _checked(self, data: bytes) -> bytes:
        if self.expired:
            raise RequestTimeout("The request body did not arrive in time; send it at once, or retry.")
        return data

    def expire(self) -> None:
        """Called by the watchdog at the deadline: nothing more is read from this connection, so gunicorn closes it
        after the answer."""
        if self.done:
            return
        self.expired = True
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RD)

    def drain(self) -> None:
        """Read and drop what the application left of the body (within the deadline and DRAIN_LIMIT), so that the
        connection can serve its next request; then the watchdog has nothing more to do here."""
        left = DRAIN_LIMIT
        with contextlib.suppress(RequestTimeout, OSError, ValueError):
            while left > 0 and (chunk := self.read(min(65536, left))):
                left -= len(chunk)
            if left <= 0:
                self.expire()
        self.done = True


_watchdog = _Watchdog()


class BodyDeadline:
    """WSGI middleware under gunicorn: every read of the request body ends within `seconds` of the request's
    start; past that, 408 and the connection is closed. Without gunicorn's socket (tests, other servers) it
    passes requests through unchanged."""

    def __init__(self, app: WSGIApp, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        if not isinstance(sock, socket.socket) or not _has_body(environ):
            return self.app(environ, start_response)
        body = _DeadlineInput(environ["wsgi.input"], sock, time.monotonic() + self.seconds)
        environ["wsgi.input"] = body
        _watchdog.watch(body)
        try:
            return self.app(environ, start_response)
        finally:
            body.drain()
            if body.expired:
                log.warning("request body not received within %.1fs; connection closed", self.seconds)


def _has_body(environ: dict[str, Any]) -> bool:
    return environ.get("CONTENT_LENGTH", "") not in ("", "0") or "chunked" in environ.get(
        "HTTP_TRANSFER_ENCODING", "").lower()
