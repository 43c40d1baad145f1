"""`flask moderation export-suggestions | coral-secret | bench-perspective`: the Perspective drop-in and Coral."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import click
from flask import current_app

from moderation.benchmarks.scoring import workload
from moderation.cli.group import group
from moderation.db.perspective_models import CoralSecret
from moderation.errors import ModerationError
from moderation.extensions import get_session
from moderation.services import sites
from moderation.services.coral import moderate as coral
from moderation.services.perspective.feedback import export_rows


@group.command("export-suggestions")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--site", "site_name", default=None, help="Only this site's suggestions.")
def export_suggestions(out: Path, site_name: str | None) -> None:
    """Write comments:suggestscore judgements to OUT as training JSON Lines {"id","source","text","labels"}."""
    if site_name is not None:
        sites.site_by_name(get_session(), site_name)  # an unknown site is an error, not an empty file
    rows = export_rows(get_session(), site_name=site_name)
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    click.echo(f"wrote {len(rows)} labelled suggestion(s) to {out}", err=True)


@group.command("coral-secret")
@click.option("--site", "site_name", required=True, help="The site's name.")
@click.option("--secret", prompt=True, hide_input=True, help="The signing secret Coral shows for the phase.")
@click.option("--replace", is_flag=True, help="Revoke the site's other Coral secrets (after Coral's rotation).")
def coral_secret(site_name: str, secret: str, replace: bool) -> None:
    """Register the signing secret of the site's Coral external moderation phase."""
    session = get_session()
    limit = CoralSecret.__table__.c.secret.type.length
    if limit is not None and len(secret.strip()) > limit:
        raise click.BadParameter(f"the secret is {len(secret.strip())} characters long; at most {limit} are allowed",
                                 param_hint="'--secret'")
    try:
        site = sites.site_by_name(session, site_name)
        coral.add_secret(session, site, secret, replace=replace)
    except (ModerationError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Coral signing secret registered for {site.name!r}; phase URL path: "
               f"/coral/v1/moderate/{quote(site.name, safe='')}", err=True)


@contextmanager
def _throwaway_database(folder: Path) -> Iterator[str]:
    """Point this app at a new SQLite database with one site and key while the bench runs (nothing real is touched),
    with rate limiting off: the bench sends more requests a minute than a key is allowed, and times the method."""
    from moderation.db.migrate import upgrade
    from moderation.db.session import make_engine, make_session_factory
    from moderation.extensions import Database, resources

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    real = app.extensions["moderation.db"]
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    limiters = {limiter: limiter.enabled for limiter in app.extensions.get("limiter", set())}
    for limiter in limiters:
        limiter.enabled = False
    app.extensions["moderation.db"] = Database(engine=engine, sessions=make_session_factory(engine))  # type: ignore[arg-type]
    try:
        upgrade(engine)
        session = app.extensions["moderation.db"].sessions()
        sites.create_site(session, "perspective-bench", [], known_policies=tuple(resources().policies))
        key = sites.create_api_key(session, "perspective-bench")
        session.close()
        yield key
    finally:
        app.extensions["moderation.db"] = real
        for limiter, enabled in limiters.items():
            limiter.enabled = enabled
        engine.dispose()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@group.command("bench-perspective")
@click.option("--requests", "count", default=300, show_default=True, help="Timed requests per variant.")
@click.option("--warmup", default=20, show_default=True, help="Untimed requests first.")
def bench_perspective(count: int, warmup: int) -> None:
    """p50/p95 latency of comments:analyze (TOXICITY, as Coral asks) on news comments, via the test client."""
    from moderation.extensions import get_scorer

    get_scorer().load()
    texts = workload()
    with tempfile.TemporaryDirectory() as tmp, _throwaway_database(Path(tmp)) as key:
        client = current_app.test_client()
        typical = sorted(texts, key=len)[len(texts) // 2]  # the workload's median-length comment
        variants = {
            "typical comment, doNotStore": {"doNotStore": True, "typical": True},
            "doNotStore": {"doNotStore": True},
            "stored": {},
            "all attributes + spans": {"doNotStore": True, "spanAnnotations": True, "all": True},
        }
        click.echo(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
                   f"on {os.cpu_count()} CPU(s); model {get_scorer().name} {get_scorer().version}")
        for name, options in variants.items():
            latencies, cpu = [], []
            for i in range(warmup + count):
                text = typical if options.get("typical") else texts[i % len(texts)]
                attributes = (
                    ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"]
                    if options.get("all") else ["TOXICITY"]
                )
                body = {"comment": {"text": text}, "languages": ["en"], "requestedAttributes": dict.fromkeys(
                    attributes, {})} | {k: v for k, v in options.items() if k not in ("all", "typical")}
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.post(f"/v1alpha1/comments:analyze?key={key}", json=body)
                elapsed = (time.perf_counter() - started) * 1000
                cpu_ms = (time.process_time() - cpu_started) * 1000
                if response.status_code != 200:
                    raise click.ClickException(f"analyze answered {response.status_code}: {response.get_data(True)}")
                if i >= warmup:
                    latencies.append(elapsed)
                    cpu.append(cpu_ms)
            click.echo(f"comments:analyze [{name}] n={count}: p50 {statistics.median(latencies):.1f} ms, "
                       f"p95 {_percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms "
                       f"(CPU time per request: p50 {statistics.median(cpu):.1f} ms)")
        model = []
        for i in range(count):  # the model call alone, on the same comments: what the endpoint adds is the rest
            started = time.perf_counter()
            get_scorer().score([texts[i % len(texts)]])
            model.append((time.perf_counter() - started) * 1000)
        click.echo(f"model call alone (scorer.score) n={count}: p50 {statistics.median(model):.1f} ms, "
                   f"p95 {_percentile(model, 0.95):.1f} ms")
        click.echo(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
