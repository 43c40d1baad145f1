"""An open-loop load generator for the comments API: requests start at a fixed rate whatever the answers do
(a closed loop would slow down with the server and hide its queue), latencies count from when each request was
due to start, and every comment the API acknowledged is then checked in the database: stored once, none lost."""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from moderation.db.models import Comment, Decision


@dataclass
class Result:
    """One request: the comment id sent, the status answered (0: no answer), seconds from when it was due."""

    external_id: str
    status: int
    seconds: float
    retry_after: str | None = None


@dataclass
class Run:
    """What a run offered and what came back."""

    rate: float
    duration_s: float
    results: list[Result] = field(default_factory=list)
    elapsed_s: float = 0.0

    def summary(self) -> dict[str, Any]:
        """Rates, statuses and latency percentiles (all answers, the 200/201s alone, the 503s alone), in ms."""
        statuses = Counter(r.status for r in self.results)
        created = [r.seconds for r in self.results if r.status in (200, 201)]
        return {
            "offered_per_s": self.rate, "duration_s": self.duration_s, "requests": len(self.results),
            "stored_per_s": round(len(created) / self.elapsed_s, 1) if self.elapsed_s else 0.0,
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "all_ms": _percentiles([r.seconds for r in self.results]), "stored_ms": _percentiles(created),
            "refused_ms": _percentiles([r.seconds for r in self.results if r.status == 503]),
            "slowest_answer_ms": round(max((r.seconds for r in self.results), default=0) * 1000, 1),
        }


def _percentiles(values: Sequence[float]) -> dict[str, float]:
    if len(values) < 2:
        return {}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49] * 1000, 1), "p95": round(cuts[94] * 1000, 1), "p99": round(cuts[98] * 1000, 1)}


def comment_body(external_id: str, text: str, index: int) -> dict[str, Any]:
    """A comment as a site's CMS sends it: forty articles, five hundred readers."""
    return {"external_id": external_id, "text": text,
            "article": {"external_id": f"load-a{index % 40}", "url": f"https://load.example/a{index % 40}",
                        "title": f"Load article {index % 40}"},
            "author": {"external_id": f"load-u{index % 500}", "display_name": "Load reader"}}


class _Client:
    """One kept-alive HTTP connection per thread."""

    def __init__(self, url: str, key: str, timeout_s: float) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.key, self.timeout_s = parts.hostname or "127.0.0.1", parts.port or 80, key, timeout_s
        self.local = threading.local()

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, str | None]:
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.key}"}
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile is opened again, once
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
            try:
                conn.request("POST", path, body=data, headers=headers)
                response = conn.getresponse()
                response.read()
                return response.status, response.getheader("Retry-After")
            except (OSError, http.client.HTTPException):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    return 0, None
        return 0, None


def run_load(url: str, key: str, texts: Sequence[str], *, rate: float, duration_s: float, prefix: str,
             timeout_s: float = 30.0, threads: int = 256, on_second: Callable[[int, int], None] | None = None) -> Run:
    """POST comments to `url` at `rate` a second for `duration_s` seconds (ids `<prefix>-<n>`), open loop."""
    client = _Client(url, key, timeout_s)
    run = Run(rate=rate, duration_s=duration_s)
    lock = threading.Lock()
    total = int(rate * duration_s)
    start = time.monotonic() + 0.5

    def send(index: int) -> None:
        due = start + index / rate
        external_id = f"{prefix}-{index}"
        status, retry_after = client.post("/api/v1/comments", comment_body(external_id, texts[index % len(texts)],
                                                                           index))
        with lock:
            run.results.append(Result(external_id, status, time.monotonic() - due, retry_after))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for index in range(total):
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, index)
            if on_second and index % max(1, int(rate)) == 0:
                on_second(index, len(run.results))
    run.elapsed_s = time.monotonic() - start
    return run


def check_stored(session: Session, site_id: int, run: Run) -> dict[str, int]:
    """Every comment the API acknowledged (200/201) is stored once with one first decision; comments refused
    (503, no answer) are either absent or stored whole (the server may have committed before the client gave up)."""
    sent = {r.external_id: r.status for r in run.results}
    prefix = run.results[0].external_id.rsplit("-", 1)[0] + "-" if run.results else ""
    rows = session.execute(
        sa.select(Comment.external_id, sa.func.count(Decision.id))
        .outerjoin(Decision, Decision.comment_id == Comment.id)
        .where(Comment.site_id == site_id, Comment.external_id.startswith(prefix))
        .group_by(Comment.id, Comment.external_id)
    ).all()
    session.commit()
    stored = Counter(external_id for external_id, _ in rows)
    acknowledged = {i for i, status in sent.items() if status in (200, 201)}
    return {
        "acknowledged": len(acknowledged),
        "lost": len(acknowledged - set(stored)),
        "duplicated": sum(1 for count in stored.values() if count > 1),
        "without_decision": sum(1 for _, decisions in rows if decisions == 0),
        "stored_though_refused": len({i for i in stored if sent.get(i) not in (200, 201)}),
    }


def hostile_requests(count: int, seed: int = 7) -> list[tuple[str, str, bytes, dict[str, str]]]:
    """`count` malformed and hostile requests (method, path, body, headers without the key): wrong types, huge
    numbers, huge and deeply nested bodies, invalid UTF-8, NUL bytes, control and invisible characters, bad ids,
    wrong media types, oversized texts and previews, on the JSON API and the Perspective route."""
    import random

    rng = random.Random(seed)
    good = json.dumps(comment_body("h", "A fair point.", 0)).encode()
    makers: list[Callable[[int], tuple[str, str, bytes, dict[str, str]]]] = [
        lambda i: ("POST", "/api/v1/comments", good.replace(b'"h"', str(i).encode()), {}),  # wrong type of id
        lambda i: ("POST", "/api/v1/comments", b'{"external_id": ' + b"9" * rng.choice((4301, 5000, 20000)) + b"}", {}),
        lambda i: ("POST", "/api/v1/comments", b"[" * rng.choice((1000, 100_000)) + b"]" * 10, {}),
        lambda i: ("POST", "/api/v1/comments", b'{"a":' * 30_000 + b"1" + b"}" * 30_000, {}),
        lambda i: ("POST", "/api/v1/comments", good.replace(b"A fair", b"\xff\xfe fair"), {}),
        lambda i: ("POST", "/api/v1/comments", good.replace(b"A fair", b"A\\u0000 fair"), {}),
        lambda i: ("POST", "/api/v1/comments", good.replace(b"A fair point.", b"\\u200b\\u2060\\ufeff"), {}),
        lambda i: ("POST", "/api/v1/comments", good.replace(b"A fair", b"\\u0007\\u001b[31m fair"), {}),
        lambda i: ("POST", "/api/v1/comments", good.replace(b"A fair", b"\\ud800 fair"), {}),
        lambda i: ("POST", "/api/v1/comments", good.replace(b"A fair point.", b"x" * 10_001), {}),
        lambda i: ("POST", "/api/v1/comments", b'{"text": ' + json.dumps("y" * 2_000_000).encode() + b"}", {}),
        lambda i: ("POST", "/api/v1/comments", good, {"Content-Type": "text/plain"}),
        lambda i: ("POST", "/api/v1/comments", b"", {}),
        lambda i: ("PUT", f"/api/v1/comments/{'%00' if i % 2 else '..%2F'}x", b'{"text": "x"}', {}),
        lambda i: ("GET", f"/api/v1/articles/a1/comments?page={'9' * rng.choice((20, 5000))}", b"", {}),
        lambda i: ("POST", "/api/v1/score", json.dumps({"texts": [{"nested": [1e308, -1e308]}] * 3}).encode(), {}),
        lambda i: ("POST", "/api/v1/score", json.dumps({"texts": ["z" * 10_000] * 101}).encode(), {}),
        lambda i: ("POST", "/v1alpha1/comments:analyze", b'{"comment": {"text": ' + b"7" * 6000 + b"}}", {}),
        lambda i: ("POST", "/v1alpha1/comments:analyze", b"\x00\x01\x02" * 100, {}),
        lambda i: ("PATCH", "/api/v1/articles/a1", json.dumps({"comments_closed": "yes", "x": None}).encode(), {}),
    ]
    return [makers[i % len(makers)](i) for i in range(count)]


def run_hostile(url: str, key: str, count: int, *, threads: int = 8) -> dict[str, Any]:
    """Send `hostile_requests(count)` with `threads` clients; the statuses answered (0: no answer)."""
    parts = urlsplit(url)
    statuses: Counter[int] = Counter()
    examples: dict[int, str] = {}
    lock = threading.Lock()

    def send(request: tuple[str, str, bytes, dict[str, str]]) -> None:
        method, path, body, extra = request
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}", "X-Goog-Api-Key": key,
                   **extra}
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            status = conn.getresponse().status
        except (OSError, http.client.HTTPException):
            status = 0
        finally:
            conn.close()
        with lock:
            statuses[status] += 1
            examples.setdefault(status, f"{method} {path[:60]} {body[:60]!r}")

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(send, hostile_requests(count)))
    return {"requests": count, "seconds": round(time.monotonic() - started, 1),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "examples": {str(k): v for k, v in sorted(examples.items())}}
