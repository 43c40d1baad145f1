"""Commands for the clause heads: train them on the shared data and the newsroom's written examples."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from moderation.cli.group import group
from moderation.config import PROJECT_ROOT
from moderation.scoring.clause_training import DECISIONS_WEIGHT, EPOCHS, HIDDEN, WRITTEN_WEIGHT
from moderation.scoring.dataset import LabelledComment

DEFAULT_SHARED = PROJECT_ROOT.parent / "shared" / "data"
DEFAULT_WRITTEN = PROJECT_ROOT / "data" / "clauses"
#: The frozen newsroom test set: no training round reads its texts.
FROZEN_TEST = PROJECT_ROOT / "tests" / "cases" / "newsroom" / "test.jsonl"


def _data_options(command: Callable[..., None]) -> Callable[..., None]:
    """--data (the shared labelled comments) and --written (the folder of written examples), as the clause commands
    take them."""
    command = click.option("--written", "written_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                           default=DEFAULT_WRITTEN, show_default=True,
                           help="Folder of written examples (*.jsonl).")(command)
    return click.option("--data", "data_paths", multiple=True,
                        type=click.Path(exists=True, dir_okay=False, path_type=Path),
                        default=[DEFAULT_SHARED / "comments-train.jsonl", DEFAULT_SHARED / "comments-extra.jsonl"],
                        show_default=True, help="Labelled comments in the shared format (repeatable).")(command)


def _features_source(weights: Path, data_paths: Sequence[Path]) -> tuple[Any, Path, list[LabelledComment]]:
    """The bundled encoder of `weights` (its clause heads left out), where its features are cached between runs in
    the instance folder, and the shared rows of `data_paths`."""
    from flask import current_app

    from moderation.scoring.dataset import read_jsonl
    from moderation.scoring.factory import bundled_encoder

    encoder = bundled_encoder(current_app.config, weights, heads=False)
    cache = Path(current_app.instance_path) / "training" / f"features-{encoder.name}-{encoder.version}.npz"
    return encoder, cache, [row for path in data_paths for row in read_jsonl(path)]


@group.command("train-clauses")
@_data_options
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Weights directory to add the heads to (default: the bundled model's).")
@click.option("--seed", default=13, show_default=True)
@click.option("--refit-vocabulary/--keep-vocabulary", default=False, show_default=True,
              help="Fit the n-gram member anew on one vocabulary of the shared and the written rows (every label it "
                   "scores), instead of adding the clause labels to its present vocabulary.")
@click.option("--decisions", "decision_paths", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A site's moderator decisions (flask moderation export-decisions) to train on too (repeatable); "
                   "never part of the development split.")
@click.option("--decisions-weight", type=click.FloatRange(min=0, min_open=True), default=DECISIONS_WEIGHT,
              show_default=True, help="How many shared rows one decision counts as.")
def train_clauses_command(data_paths: tuple[Path, ...], written_dir: Path, out_dir: Path | None, seed: int,
                          refit_vocabulary: bool, decision_paths: tuple[Path, ...], decisions_weight: float) -> None:
    """Fit the clause heads (personal_attack, inflammatory, violent_threat, defamation_risk) on the encoder's
    features, with their n-gram member, mixing and calibration; features are cached in the instance folder."""
    from moderation.scoring.bundled import WEIGHTS_DIR
    from moderation.scoring.dataset import read_decisions

    weights = out_dir or WEIGHTS_DIR
    try:
        decisions = [row for path in decision_paths for row in read_decisions(path)]
        report = fit_clause_round(weights, data_paths, written_dir, seed=seed, decisions=decisions,
                                  decisions_weight=decisions_weight, refit_vocabulary=refit_vocabulary)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    for label, figures in report.items():
        click.echo(f"{label:<16} development ROC-AUC {figures['dev_roc_auc']:.3f} "
                   f"({figures['dev_positives']} of {figures['dev_rows']} rows positive)")
    click.echo(f"wrote the clause heads to {weights}")


def fit_clause_round(weights: Path, data_paths: Sequence[Path], written_dir: Path, *, seed: int = 13,
                     decisions: Sequence[LabelledComment] = (), decisions_weight: float = DECISIONS_WEIGHT,
                     refit_vocabulary: bool = False) -> dict[str, Any]:
    """One round of `train-clauses` into the weights directory `weights` (the frozen test set's texts left out);
    the development report."""
    from moderation.scoring.clause_training import frozen_texts, read_written, train_clauses

    encoder, cache, shared = _features_source(weights, data_paths)
    written = read_written(sorted(written_dir.glob("*.jsonl")))
    return train_clauses(encoder.features, shared, written, weights, cache, exclude=frozen_texts(FROZEN_TEST), seed=seed,
                         decisions=decisions, decisions_weight=decisions_weight,
                         refit_vocabulary=refit_vocabulary, echo=click.echo)


@group.command("heads-holdout")
@click.option("--round", "prefix", required=True,
              help="The round left out: every written file whose name starts with this (e.g. round7).")
@_data_options
@click.option("--written-weight", "written_weights", multiple=True, type=click.FloatRange(min=0, min_open=True),
              default=[WRITTEN_WEIGHT], show_default=True,
              help="How many shared rows one written row counts as (repeatable: one fit each).")
@click.option("--seeds", default=1, show_default=True, type=click.IntRange(min=1),
              help="Heads averaged per fit (train-clauses uses 3).")
@click.option("--epochs", default=EPOCHS, show_default=True, type=click.IntRange(min=1), help="Training epochs a head.")
@click.option("--hidden", default=HIDDEN, show_default=True, type=click.IntRange(min=1), help="Hidden units a head.")
@click.option("--mask-groups", is_flag=True,
              help="The heads read the features of each text with the names of groups masked, and a flag that one "
                   "was named (moderation/scoring/group_mask.py), instead of the text's own.")
def heads_holdout_command(prefix: str, data_paths: tuple[Path, ...], written_dir: Path,
                          written_weights: tuple[float, ...], seeds: int, epochs: int, hidden: int,
                          mask_groups: bool) -> None:
    """Fit the clause heads without one round of written examples and judge that round's new writers: per clause,
    ROC-AUC and the share of its hard negatives held where 90% of its violations are (the bundled encoder's
    features, cached as for train-clauses)."""
    from moderation.scoring.bundled import WEIGHTS_DIR
    from moderation.scoring.clause_training import frozen_texts
    from moderation.scoring.features import cached_features
    from moderation.scoring.group_mask import with_masked_view
    from moderation.scoring.writer_holdout import RECALL, holdout_figures

    encoder, plain_cache, shared = _features_source(WEIGHTS_DIR, data_paths)
    features, cache = encoder.features, plain_cache
    if mask_groups:  # the masked texts' features come from the same cache; the views get a cache of their own
        features = with_masked_view(lambda texts: cached_features(encoder.features, texts, plain_cache))
        cache = plain_cache.with_name(plain_cache.stem + "-masked-groups.npz")
    try:
        figures = holdout_figures(features, shared, sorted(written_dir.glob("*.jsonl")), prefix, cache,
                                  written_weights=written_weights, exclude=frozen_texts(FROZEN_TEST), seeds=seeds,
                                  epochs=epochs, hidden=hidden)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    for weight, clauses in figures.items():
        click.echo(f"written weight {weight:g}, round {prefix!r} left out:")
        for clause, f in clauses.items():
            click.echo(f"  {clause:<16} {f.violations:>5} violations, {f.hard_negatives:>5} hard negatives: "
                       f"ROC-AUC {f.roc_auc:.3f}, hard negatives held at {RECALL:.0%} recall "
                       f"{f.hard_negatives_held:.1%}")
