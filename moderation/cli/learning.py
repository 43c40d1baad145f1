"""`flask moderation export-decisions | agreement`: what the moderators' decisions say, for training and for
the editors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import click

from moderation.cli.group import group
from moderation.extensions import get_session, resources
from moderation.scoring.clauses import CLAUSE_LABELS
from moderation.services.learning.decisions import DecisionFilter
from moderation.services.learning.export import export_rows
from moderation.tasks.celery_app import get_celery
from moderation.tasks.jobs import JobError, Split, export_on_workers, replay_on_workers


def parse_since(value: str | None) -> datetime | None:
    """A --since date or time (ISO 8601; UTC when it names no zone)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or an ISO 8601 time", param_hint="--since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_site(name: str | None) -> None:
    """Refuse a --site that is not registered (a typo would otherwise read as "no decisions")."""
    from moderation.services.learning.decisions import site_policy_names

    if name is not None and name not in site_policy_names(get_session()):
        raise click.BadParameter(f"no site named {name!r}", param_hint="--site")


def _open_out(out: Path | None) -> IO[str]:
    return out.open("w", encoding="utf-8") if out else sys.stdout


def on_workers_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--on-workers and how the job is split (for commands whose work the scoring workers can share)."""
    options = [
        click.option("--on-workers", is_flag=True,
                     help="Split the work into id ranges run as tasks by the scoring workers (flask moderation "
                          "scoring-worker, on MODERATION_CELERY_BROKER) and merge their parts here."),
        click.option("--part-size", default=5000, show_default=True, type=click.IntRange(1, 1_000_000),
                     help="With --on-workers: rows per part (keep a part's run well under "
                          "MODERATION_CELERY_VISIBILITY_TIMEOUT_S)."),
        click.option("--in-flight", default=8, show_default=True, type=click.IntRange(1, 1000),
                     help="With --on-workers: parts queued ahead of the one being read (about twice the worker "
                          "threads that should share the job)."),
        click.option("--part-timeout", default=600.0, show_default=True, type=click.FloatRange(min=1),
                     help="With --on-workers: seconds to wait for each part before giving up."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _split(part_size: int, in_flight: int, part_timeout: float) -> Split:
    return Split(size=part_size, in_flight=in_flight, timeout_s=part_timeout)


@group.command("export-decisions")
@click.option("--site", "site_name", default=None, help="Only this site's decisions (default: every site's).")
@click.option("--since", default=None, help="Only decisions from this date or time on (ISO 8601, UTC).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
@on_workers_options
def export_decisions(site_name: str | None, since: str | None, out: Path | None, on_workers: bool, part_size: int,
                     in_flight: int, part_timeout: float) -> None:
    """Write the moderators' decisions as training rows (JSON Lines); never the author's name or id."""
    check_site(site_name)
    flt = DecisionFilter(site_name, parse_since(since))
    if on_workers:
        rows = export_on_workers(get_celery(), get_session(), flt, _split(part_size, in_flight, part_timeout))
    else:
        rows = export_rows(get_session(), resources().policies, flt, CLAUSE_LABELS)
    count = 0
    handle = _open_out(out)
    try:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    except JobError as exc:
        raise click.ClickException(f"{exc} (after {count} rows)") from exc
    finally:
        if out:
            handle.close()
    click.echo(f"exported {count} decisions" + (f" to {out}" if out else ""), err=True)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


@group.command("agreement")
@click.option("--site", "site_name", default=None, help="Only this site's decisions (default: every site's).")
@click.option("--since", default=None, help="Only decisions from this date or time on (ISO 8601, UTC).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def agreement(site_name: str | None, since: str | None, as_json: bool) -> None:
    """How often moderators upheld what each clause held, and what the policy published that they removed."""
    from moderation.services.learning.agreement import measure_agreement

    check_site(site_name)
    report = measure_agreement(get_session(), resources().policies,
                               DecisionFilter(site_name, parse_since(since))).to_dict()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    window = report["window"]
    click.echo(f"{window['decisions']} decisions" + (f" on {window['site']}" if window["site"] else "")
               + (f" since {window['since']}" if window["since"] else ""))
    click.echo(f"{'clause':<20} {'held':>6} {'upheld':>6} {'precision':>9} {'missed':>6} {'recall':>7}")
    for cid, row in report["clauses"].items():
        click.echo(f"{cid:<20} {row['held']:>6} {row['upheld']:>6} {_pct(row['precision']):>9} {row['missed']:>6} "
                   f"{_pct(row['recall_estimate']):>7}")
    for lang, row in report["by_language"].items():
        click.echo(f"language {lang}: {row['decisions']} decisions, {row['held']} held, precision "
                   f"{_pct(row['precision'])}, {row['missed']} missed")
    for term in report["false_hold_terms"]:
        click.echo(f"held then approved: {term['term']!r} {term['approved']} of {term['held']}")


@group.command("replay")
@click.option("--policy", "policy_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The candidate policy file (TOML).")
@click.option("--site", "site_name", default=None, help="Only this site's comments (default: every site's).")
@click.option("--since", default=None, help="Only comments from this date or time on (ISO 8601, UTC).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1, 50_000),
              help="Comments read per database query.")
@on_workers_options
def replay(policy_file: Path, site_name: str | None, since: str | None, as_json: bool, batch_size: int,
           on_workers: bool, part_size: int, in_flight: int, part_timeout: float) -> None:
    """Decide stored comments again under a candidate policy, writing nothing, and report what would change."""
    from moderation.policy.loader import load_policy
    from moderation.services.learning.replay import ReplayFilter, count_comments, replay_policy

    check_site(site_name)
    candidate = load_policy(policy_file)
    session = get_session()
    flt = ReplayFilter(site_name, parse_since(since))
    total = count_comments(session, flt)
    session.rollback()  # end the read: on SQLite the workers could not read while it is open
    with click.progressbar(length=total, label=f"replaying {total} comments", file=sys.stderr) as bar:
        if on_workers:
            try:
                result = replay_on_workers(get_celery(), session, policy_file, flt,
                                           _split(part_size, in_flight, part_timeout), batch=batch_size,
                                           progress=bar.update)
            except JobError as exc:
                raise click.ClickException(str(exc)) from exc
        else:
            result = replay_policy(session, candidate, resources().policies, flt, progress=bar.update,
                                   batch=batch_size)
    report = result.to_dict()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(f"{report['comments']} comments replayed under {candidate.name} {candidate.version} "
               f"({report['unscored']} not scored, left out); {report['changed']} would change")
    for change, count in report["changes"].items():
        click.echo(f"  {change}: {count}")
        for example in report["examples"].get(change, []):
            click.echo(f"    comment {example['comment_id']}: {example['text'][:100]!r}")
    for clause, actions in report["clauses"].items():
        click.echo(f"  {clause}: " + ", ".join(f"{a} {n['before']} -> {n['after']}" for a, n in actions.items()))
    held = report["held_per_day"]
    click.echo(f"held a day: {held['before']} -> {held['after']}")
    agree = report["agreement"]
    click.echo(f"agreement with moderators ({agree['removed_by_moderators']} removals): precision "
               f"{_pct(agree['before']['precision'])} -> {_pct(agree['after']['precision'])}, recall "
               f"{_pct(agree['before']['recall_estimate'])} -> {_pct(agree['after']['recall_estimate'])}")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@group.command("calibrate")
@click.option("--site", "site_name", required=True, help="The site whose moderators' decisions are fitted.")
@click.option("--since", default=None, help="Only decisions from this date or time on (ISO 8601, UTC).")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the calibration file goes (default: the policies' calibrations/ folder).")
@click.option("--precision", "target_precision", type=click.FloatRange(0, 1), default=None,
              help="Advise, per clause label, the lowest threshold reaching this precision on the decisions.")
@click.option("--recall", "target_recall", type=click.FloatRange(0, 1), default=None,
              help="Advise, per clause label, the highest threshold reaching this recall on the decisions.")
def calibrate(site_name: str, since: str | None, out_dir: Path | None, target_precision: float | None,
              target_recall: float | None) -> None:
    """Fit each clause label's score to the site's decisions and write a versioned calibration file; nothing
    changes until a policy names it (`calibration = "<name>"`)."""
    from flask import current_app

    from moderation.policy.loader import CALIBRATION_FOLDER
    from moderation.services.learning.calibrate import MIN_DECISIONS, MIN_EACH, calibrate_site
    from moderation.services.learning.decisions import site_policy_names

    if target_precision is not None and target_recall is not None:
        raise click.UsageError("give --precision or --recall, not both")
    check_site(site_name)
    policy = resources().policies[site_policy_names(get_session())[site_name]]
    run = calibrate_site(get_session(), policy, site_name, since=parse_since(since), precision=target_precision,
                         recall=target_recall)
    click.echo(f"{'label':<18} {'clause':<16} {'fitted':>6} {'held out':>8}   brier before/after   "
               f"agreement before/after (cut: threshold / 0.5)")
    for fit in run.fits:
        if fit.curve is None or fit.before is None or fit.after is None:
            click.echo(f"{fit.label:<18} {fit.clause:<16} not fitted: {fit.skipped}")
            continue
        click.echo(f"{fit.label:<18} {fit.clause:<16} {fit.fitted:>6} {fit.held_out:>8}   "
                   f"{_num(fit.before.brier)} -> {_num(fit.after.brier)}       "
                   f"{_pct(fit.before.agreement)} -> {_pct(fit.after.agreement)} (at {fit.threshold:g} / 0.5)")
    for item in run.advice:
        if item.threshold is None:
            click.echo(f"advice {item.label} ({item.clause}): no threshold reaches the target on these decisions")
        else:
            click.echo(f"advice {item.label} ({item.clause}): {item.threshold:g} (now {item.current:g}) — precision "
                       f"{_pct(item.precision)}, recall {_pct(item.recall)}, {item.held_per_day} held a day")
    data = run.file()
    if not data["labels"]:
        click.echo(f"no label had enough decisions to fit ({MIN_DECISIONS}, {MIN_EACH} each way); no file written",
                   err=True)
        return
    folder = out_dir or Path(current_app.config["POLICY_DIR"]) / CALIBRATION_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run.name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(f"wrote {path}; to use it, add `calibration = \"{run.name}\"` to a new version of the policy, with "
               f"thresholds on the calibrated scale (share of such comments the moderators remove)", err=True)
