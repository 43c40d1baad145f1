"""`flask moderation bench-calibration` and `bench-decisions`: calibration, and a training round with a site's
decisions, on simulated newsrooms whose moderators disagree with the default policy on one clause (figures in
docs/model.md)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import click

from moderation.benchmarks.calibration import simulate
from moderation.cli.clauses import DEFAULT_SHARED, DEFAULT_WRITTEN, fit_clause_round
from moderation.cli.group import group
from moderation.db import migrate
from moderation.db.session import make_engine
from moderation.extensions import get_policy, get_scorer
from moderation.scoring.clause_training import DECISIONS_WEIGHT


@group.command("bench-calibration")
@click.option("--comments", "count", default=3000, show_default=True, help="Simulated comments to seed.")
def bench_calibration(count: int) -> None:
    """Seed a simulated newsroom in a temporary SQLite file, calibrate on it and print the figures as JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/simulated.db")
        try:
            migrate.upgrade(engine)
            figures = simulate(engine, count, get_policy("default"))
        finally:
            engine.dispose()
    click.echo(json.dumps(figures, indent=2))


@group.command("bench-decisions")
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A labelled file in the shared format: its validation rows of --source are the site's comments.")
@click.option("--source", default="civil_comments_toxic_spans", show_default=True)
@click.option("--label", default="insult", show_default=True,
              help="The source's label whose annotators' verdict is the moderators' line.")
@click.option("--clause", default="personal_attack", show_default=True, help="The clause the moderators remove for.")
@click.option("--shared", "shared_paths", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=[DEFAULT_SHARED / "comments-train.jsonl", DEFAULT_SHARED / "comments-extra.jsonl"],
              show_default=True, help="The shared data the clause heads train on, as train-clauses takes it.")
@click.option("--decisions-weight", type=click.FloatRange(min=0, min_open=True), default=DECISIONS_WEIGHT,
              show_default=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the exported decisions and both rounds' weights (kept, for a look afterwards).")
def bench_decisions(data_path: Path, source: str, label: str, clause: str, shared_paths: tuple[Path, ...],
                    decisions_weight: float, out_dir: Path) -> None:
    """A round of the clause heads with a simulated site's exported decisions, against the same round without
    them, measured on the site's later comments; prints the figures as JSON (minutes: two rounds are trained)."""
    from flask import current_app

    from moderation.benchmarks.decisions_round import EARLIER_DAYS, agreement, seed_and_export, site_comments
    from moderation.benchmarks.newsroom_sets import outcomes
    from moderation.scoring.bundled import WEIGHTS_DIR
    from moderation.scoring.dataset import is_validation, read_decisions, read_jsonl
    from moderation.scoring.factory import build_scorer

    policy, scorer = get_policy("default"), get_scorer()
    comments = site_comments([r for r in read_jsonl(data_path) if is_validation(r.id)], source, label)
    earlier = [c for c in comments if c.day < EARLIER_DAYS]
    later = [c for c in comments if c.day >= EARLIER_DAYS]
    if not earlier or not later:
        raise click.ClickException(f"no validation rows of {source} with {label} in {data_path}")
    out_dir.mkdir(parents=True, exist_ok=True)
    decisions_file = out_dir / "decisions.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/simulated.db")
        try:
            migrate.upgrade(engine)
            exported = seed_and_export(engine, policy, earlier, outcomes(scorer, policy, [c.text for c in earlier]),
                                       clause, decisions_file)
        finally:
            engine.dispose()
    later_texts = [c.text for c in later]
    figures: dict[str, object] = {"earlier_comments": len(earlier), "decisions_exported": exported,
                                  "later": {"bundled": agreement(later, outcomes(scorer, policy, later_texts), clause)}}
    current = Path(current_app.config.get("BUNDLED_WEIGHTS_DIR") or WEIGHTS_DIR)
    for name, decisions in (("without_decisions", []), ("with_decisions", read_decisions(decisions_file))):
        weights = out_dir / name
        shutil.rmtree(weights, ignore_errors=True)
        shutil.copytree(current, weights)
        click.echo(f"round {name.replace('_', ' ')}", err=True)
        fit_clause_round(weights, shared_paths, DEFAULT_WRITTEN, decisions=decisions, decisions_weight=decisions_weight)
        trained = build_scorer({**current_app.config, "BUNDLED_WEIGHTS_DIR": str(weights)})
        figures["later"][name] = agreement(later, outcomes(trained, policy, later_texts), clause)
    click.echo(json.dumps(figures, indent=2))
