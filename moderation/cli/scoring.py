"""Commands for the scoring engine: score, evaluate, bench, train, policy check."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from marshmallow import ValidationError

from moderation.cli.clauses import FROZEN_TEST
from moderation.cli.group import group
from moderation.config import PROJECT_ROOT
from moderation.extensions import get_policy, get_scorer
from moderation.policy.loader import load_policies
from moderation.policy.model import Outcome, Policy
from moderation.schemas.common import check_comment_text

DEFAULT_TRAIN_DATA = PROJECT_ROOT.parent / "shared" / "data" / "comments-train.jsonl"
DEVELOPMENT = "development"


def _policy_thresholds(policy: Policy) -> dict[str, float]:
    """The lowest band per label in the policy: where a label starts to hold a comment."""
    out: dict[str, float] = {}
    for clause in policy.clauses:
        for ls in clause.labels:
            bands = [t for t in (ls.review, ls.reject) if t is not None]
            out[ls.label] = min([*bands, out.get(ls.label, 1.0)])
    return out


def _describe(outcome: Outcome, text: str) -> str:
    lines = [f"{outcome.action.value.upper()}" + (f" (lane: {outcome.lane.value})" if outcome.lane else "")]
    for clause in outcome.clauses:
        lines.append(f"  {clause.clause}: {clause.action.value}, score {clause.score:.2f} — {clause.reason}")
        for span in clause.spans:
            lines.append(f"    [{span.start}:{span.end}] {span.text!r}")
    for hold in outcome.holds:
        lines.append(f"  held: {hold}")
    lines.append("  scores: " + ", ".join(f"{k} {v:.3f}" for k, v in outcome.scores.items()))
    lines.append(f"  language: {outcome.language}; model {outcome.model.name} {outcome.model.version}; "
                 f"policy {outcome.policy.name} {outcome.policy.version}")
    return "\n".join(lines)


@group.command("score")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.option("--policy", "policy_name", default=None, help="Policy name (default: the configured one).")
@click.option("--site", "site_name", default=None,
              help="Score as this registered site does: its policy, and links to its own domains allowed.")
@click.option("--batch-size", default=64, show_default=True, help="Comments per model call when reading stdin.")
def score_command(text: str, as_json: bool, policy_name: str | None, site_name: str | None, batch_size: int) -> None:
    """Score TEXT against the policy; with TEXT "-" and --json, read JSON Lines {"id","text"} from stdin."""
    from moderation.services.comments.scoring import score_texts

    domains: tuple[str, ...] = ()
    if site_name:
        if policy_name:
            raise click.UsageError("--site scores with the site's own policy: give --site or --policy, not both")
        from moderation.extensions import get_session
        from moderation.services.sites import site_by_name

        site = site_by_name(get_session(), site_name)
        policy_name, domains = site.policy_name, site.domain_list
    scorer, policy = get_scorer(), get_policy(policy_name)
    if text != "-":
        try:  # the API's rules for a comment's text, so that what scores here would be accepted there
            check_comment_text(text)
        except ValidationError as exc:
            raise click.BadParameter(" ".join(exc.messages), param_hint="TEXT") from None
        outcome = score_texts(scorer, policy, [text], site_domains=domains)[0]
        click.echo(json.dumps(outcome.to_dict(), ensure_ascii=False) if as_json else _describe(outcome, text))
        return
    if not as_json:
        raise click.UsageError("reading stdin ('-') needs --json")
    batch: list[dict[str, Any]] = []
    rejected = 0

    def flush() -> None:
        texts = [r["text"] for r in batch]
        for row, outcome in zip(batch, score_texts(scorer, policy, texts, site_domains=domains), strict=True):
            click.echo(json.dumps({"id": row.get("id"), **outcome.to_dict()}, ensure_ascii=False))
        batch.clear()

    # Every non-blank line gets one output line, in input order: its outcome, or an error naming the line.
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        row: Any = None
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError('each line must be an object with a string "text"')
            try:
                check_comment_text(row["text"])
            except ValidationError as invalid:
                raise ValueError("text " + " ".join(invalid.messages)) from None
        except ValueError as exc:
            flush()
            rejected += 1
            given_id = row.get("id") if isinstance(row, dict) else None
            click.echo(json.dumps({"id": given_id, "line": number, "error": str(exc)}, ensure_ascii=False))
            click.echo(f"stdin line {number}: {exc}", err=True)
            continue
        batch.append(row)
        if len(batch) >= batch_size:
            flush()
    flush()
    if rejected:
        raise click.ClickException(f"{rejected} line(s) could not be read; the output has an error line for each")


def _print_metrics(title: str, result: dict[str, Any]) -> None:
    click.echo(f"\n{title}")
    paired = any("p_vs_model" in m for per_label in result["by_source"].values() for m in per_label.values())
    header = (f"  {'source':<28} {'label':<16} {'n':>6} {'pos':>6} {'ROC-AUC':>8} {'95% interval':>13} "
              f"{'PR-AUC':>8} {'prec':>6} {'recall':>6}" + (f" {'p vs model':>10}" if paired else ""))
    click.echo(header)
    blocks = [("(all)", result["labels"])] + list(result["by_source"].items())
    for source, per_label in blocks:
        for label, m in per_label.items():
            cells = [m.get(k) for k in ("roc_auc", "pr_auc", "precision", "recall", "p_vs_model")]
            shown = ["-" if v is None else f"{v:.3f}" for v in cells]
            interval = "{:.3f}-{:.3f}".format(*m["roc_auc_ci"]) if m.get("roc_auc_ci") else "-"
            click.echo(f"  {source:<28} {label:<16} {m['n']:>6} {m['positives']:>6} "
                       f"{shown[0]:>8} {interval:>13} {shown[1]:>8} {shown[2]:>6} {shown[3]:>6}"
                       + (f" {shown[4]:>10}" if paired else ""))


@group.command("evaluate")
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON Lines with text and labels (null = unlabelled).")
@click.option("--split", type=click.Choice(["all", "validation"]), default="all", show_default=True,
              help="Evaluate every row, or only the validation split (rows never trained on).")
@click.option("--compare", is_flag=True, help="Also evaluate alt-profanity-check and a TF-IDF logistic regression.")
@click.option("--train-data", type=click.Path(path_type=Path), default=DEFAULT_TRAIN_DATA, show_default=True,
              help="Training file for the TF-IDF baseline (its training split is used).")
@click.option("--policy", "policy_name", default=None, help="Policy whose thresholds give precision/recall.")
@click.option("--subgroup", default=None, metavar="COLUMN",
              help="Also measure each source's rows per value of this source_labels column (e.g. semeval2021_split).")
@click.option("--scores", "scores_out", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Also write each row's scores (and the baselines', with --compare) to this JSON Lines file.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def evaluate_command(data_path: Path, split: str, compare: bool, train_data: Path, policy_name: str | None,
                     subgroup: str | None, scores_out: Path | None, as_json: bool) -> None:
    """Per label and per source: n, positives, ROC-AUC, PR-AUC, precision/recall at the policy's thresholds."""
    from moderation.scoring import dataset
    from moderation.scoring.evaluation import evaluate

    if scores_out is not None and not scores_out.absolute().parent.is_dir():
        raise click.BadParameter(f"{scores_out}: no such directory", param_hint="--scores")  # before minutes of scoring
    rows = list(dataset.read_jsonl(data_path))
    if split == "validation":
        rows = dataset.split(rows)[1]
    result = evaluate(get_scorer(), rows, _policy_thresholds(get_policy(policy_name)),
                      compare=compare, train_data=train_data, subgroup=subgroup, scores_out=scores_out)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    _print_metrics(f"{result['model']['name']} {result['model']['version']} on {data_path} ({len(rows)} rows)", result)
    for name, baseline in result.get("baselines", {}).items():
        _print_metrics(f"baseline: {name}", baseline)
    if result["ignored_labels"]:
        click.echo(f"\nlabels in the file that the model does not predict: {', '.join(result['ignored_labels'])}")


@group.command("bench")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--limit", type=int, default=None, help="Use only the first N workload comments.")
@click.option("--singles", type=int, default=200, show_default=True, help="Comments timed one at a time.")
@click.option("--no-baseline", is_flag=True, help="Skip the BERT-base comparison.")
def bench_command(as_json: bool, limit: int | None, singles: int, no_baseline: bool) -> None:
    """Comments/s and latency of the full outcome on real news comments, beside a BERT-base model."""
    from flask import current_app

    from moderation.benchmarks import scoring as benchmark

    result = benchmark.run(get_scorer(), get_policy(), threads=current_app.config["SCORER_THREADS"],
                           batch_size=current_app.config["SCORER_BATCH_SIZE"],
                           precision=current_app.config["SCORER_PRECISION"], limit=limit, singles=singles,
                           baseline=not no_baseline)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        click.echo(f"{key:>34}: {value}")


@group.command("train")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False), default=str(DEFAULT_TRAIN_DATA),
              show_default=True, help="Labelled comments (JSON Lines, optionally .gz).")
@click.option("--device", default="cpu", show_default=True, help="cpu, cuda, cuda:1 …")
@click.option("--epochs", default=2, show_default=True)
@click.option("--lr", default=8e-5, show_default=True)
@click.option("--batch-size", default=32, show_default=True)
@click.option("--max-length", default=128, show_default=True, help="Tokens per training example.")
@click.option("--source-weight", "source_weights", multiple=True, default=["civil_comments_toxic_spans=2"],
              show_default=True, help="SOURCE=N repeats that source's rows N times per epoch.")
@click.option("--seed", default=13, show_default=True)
@click.option("--soft-labels/--majority-labels", default=False, show_default=True,
              help="Targets: the share of annotators who gave a label, where a source publishes it, or the majority.")
@click.option("--base-weights", type=click.Path(exists=True, file_okay=False), default=None,
              help="Start from these exported weights (a directory written by this command) instead of the encoder.")
@click.option("--lora-rank", type=click.IntRange(min=0), default=0, show_default=True,
              help="With --base-weights: train only a LoRA of this rank and a new head; the export is a small delta.")
@click.option("--decisions", "decision_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Moderator decisions (flask moderation export-decisions) to add to the training split.")
@click.option("--decisions-weight", type=click.IntRange(min=1), default=2, show_default=True,
              help="Times each decision row is repeated per epoch.")
@click.option("--written", "written_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Also teach the encoder's labels the newsroom's written examples (data/clauses) outside their "
                   "development split and the frozen test set: a clause violation is a 1 for its label (insult, "
                   "identity_attack, threat, obscene), an allowed comment a 0 for all of them.")
@click.option("--written-weight", type=click.IntRange(min=1), default=1, show_default=True,
              help="Times each written example is repeated per epoch.")
@click.option("--limit", type=int, default=None, help="Train on the first N rows only (smoke runs).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Where the weights and manifest go (default: the bundled model's directory).")
@click.option("--checkpoint-dir", type=click.Path(file_okay=False), default=None,
              help="Resumable training state (default: <instance>/training).")
def train_command(data_path: str, device: str, epochs: int, lr: float, batch_size: int, max_length: int,
                  source_weights: tuple[str, ...], seed: int, soft_labels: bool, base_weights: str | None,
                  lora_rank: int, decision_files: tuple[str, ...], decisions_weight: int, written_dir: str | None,
                  written_weight: int, limit: int | None, out_dir: str | None, checkpoint_dir: str | None) -> None:
    """Fine-tune the bundled model; resumes from its last checkpoint when run again."""
    from flask import current_app

    from moderation.scoring.bundled import WEIGHTS_DIR
    from moderation.scoring.training import TrainConfig, train

    if lora_rank and not base_weights:
        raise click.UsageError("--lora-rank needs --base-weights: a LoRA stage starts from exported weights")
    weights = {}
    for item in source_weights:
        name, _, times = item.partition("=")
        if not times.isdigit():
            raise click.BadParameter(f"{item!r}: expected SOURCE=N", param_hint="--source-weight")
        weights[name] = int(times)
    cfg = TrainConfig(
        data=data_path, out_dir=out_dir or str(WEIGHTS_DIR),
        checkpoint_dir=checkpoint_dir or str(Path(current_app.instance_path) / "training"),
        device=device, epochs=epochs, lr=lr, batch_size=batch_size, max_length=max_length, seed=seed,
        limit=limit, source_weights=weights, soft_labels=soft_labels, base_weights=base_weights, lora_rank=lora_rank,
        decisions=list(decision_files), decisions_weight=decisions_weight, written=written_dir,
        written_weight=written_weight,
        exclude=str(FROZEN_TEST) if written_dir else None,
    )
    manifest = train(cfg, progress=True, echo=click.echo)
    stage = manifest.get("lora", manifest)  # a LoRA stage reports its own training time
    click.echo(f"wrote {manifest['name']} {manifest['version']} to {cfg.out_dir} in {stage['training_seconds']:.0f} s")


@group.group("policy")
def policy_group() -> None:
    """Site policies (policies/*.toml)."""


@policy_group.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def policy_check(paths: tuple[Path, ...]) -> None:
    """Validate policy files (default: the configured policy directory), and that the configured model gives
    every label their clauses use."""
    from flask import current_app

    from moderation.policy.loader import check_labels, load_policy

    policies = [load_policy(p) for p in paths] if paths else list(
        load_policies(Path(current_app.config["POLICY_DIR"]), current_app.config["DEFAULT_POLICY"]).values())
    scorer = get_scorer()
    scorer.load()
    check_labels(policies, scorer.name, scorer.labels)
    for policy in policies:
        click.echo(f"ok: {policy.name} {policy.version} ({policy.source}): "
                   f"{len(policy.clauses)} clauses: {', '.join(c.id for c in policy.clauses)}")


@group.command("cases")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "tests" / "cases", show_default=True, help="Folder of the case sets.")
@click.option("--policy", "policy_name", default=None, help="Policy name (default: the configured one).")
@click.option("--set", "which", type=click.Choice(["all", "test", "dev", "legacy"]), default="all", show_default=True,
              help="test: the frozen newsroom test set; dev: the development split of the written examples; "
                   "legacy: the earlier case sets (links, names, Hinglish, obfuscation, allegations).")
@click.option("--curve", is_flag=True, help="Also print each clause's operating points on the development split "
                                            "(threshold for a recall, and the share of allowed comments it holds).")
@click.option("--breakdown", is_flag=True, help="Also print the share held per clause, script and label.")
def cases_command(directory: Path, policy_name: str | None, which: str, curve: bool, breakdown: bool) -> None:
    """Rates on the newsroom's case sets (held, caught, routed to legal) against their bars."""
    from moderation.benchmarks import case_sets, newsroom_sets

    scorer, policy = get_scorer(), get_policy(policy_name)
    failed = False
    sets: list[tuple[str, list[newsroom_sets.Row]]] = []
    if which in ("all", "test"):
        sets.append(("test (frozen)", newsroom_sets.read_rows(directory / "newsroom" / "test.jsonl")))
    if which in ("all", "dev"):
        sets.append((DEVELOPMENT, newsroom_sets.development_rows(PROJECT_ROOT / "data" / "clauses")))
    for title, rows in sets:
        click.echo(f"== {title}: {len(rows)} comments")
        results = newsroom_sets.outcomes(scorer, policy, [r.text for r in rows])
        failed |= _echo_rates(newsroom_sets.measure(rows, results))
        if breakdown:
            for g in newsroom_sets.breakdown(rows, results):
                click.echo(f"   {g['clause']:<16} {g['script']:<8} {'violates' if g['violates'] else 'allowed':<9}"
                           f"{g['rows']:>4} rows  held {g['held']:6.1%}  legal {g['legal']:6.1%}")
        if curve and title == DEVELOPMENT:  # operating points are chosen on it, never on the frozen test set
            for clause, points in newsroom_sets.curve(rows, results).items():
                click.echo(f"   curve {clause}: " + "; ".join(
                    f"recall {p['recall']:.0%} at {p['threshold']:.3f} holds {p['negatives_held']:.1%} of its "
                    f"hard negatives, {p['allowed_held']:.1%} of all allowed" for p in points))
    if which in ("all", "legacy"):
        click.echo("== legacy case sets")
        failed |= _echo_rates(case_sets.measure(scorer, policy, directory))
    if failed:
        raise click.ClickException("some case-set bars are not met")


@group.command("suite")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--edition", type=click.Choice(["en", "hi"]), default="en", show_default=True,
              help="Whose bars apply: the English suite's, or the Hindi editions' (Devanagari, romanised, mixed).")
@click.option("--policy", "policy_name", default=None, help="Policy name (default: the configured one).")
@click.option("--functionalities", is_flag=True, help="Also print the share held per functionality.")
def suite_command(path: Path, edition: str, policy_name: str | None, functionalities: bool) -> None:
    """Share held of a public functional hate-speech suite (HateCheck and its editions, as JSON Lines of text,
    label and functionality): an acceptance check, never trained or tuned on."""
    from moderation.benchmarks import newsroom_sets, suites

    try:
        rows = suites.read_suite(path)
    except (ValueError, json.JSONDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc
    results = newsroom_sets.outcomes(get_scorer(), get_policy(policy_name), [r.text for r in rows])
    failed = _echo_rates(suites.measure(rows, results, edition))
    held, total = suites.other_guideline(rows, results)
    click.echo(f"    non-hateful, another guideline, held {held:>12}/{total:<4} (profanity, abuse of a person: "
               "no bar, the policy may hold them)")
    if functionalities:
        for name, hateful, count, share in suites.by_functionality(rows, results):
            click.echo(f"   {name:<24} {'hateful' if hateful else 'non-hateful':<12}{count:>5} cases  held {share:6.1%}")
    if failed:
        raise click.ClickException("some suite bars are not met")


def _echo_rates(rates: list[Any]) -> bool:
    """Print each rate against its bar; whether any missed it."""
    for rate in rates:
        click.echo(f"{'ok ' if rate.passed else 'BAD'} {rate.name:<42} {rate.hits:>4}/{rate.total:<4} = "
                   f"{rate.value:6.1%}  (bar {rate.bar})")
    return not all(rate.passed for rate in rates)
