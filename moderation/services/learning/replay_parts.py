"""A policy replay in parts: each id range's counts and examples as plain JSON (what a scoring worker sends back),
and the parts merged into the report one process would have made over the whole history.

Every figure of a replay is a sum, a minimum or a maximum over its comments, except the examples, which are the
first EXAMPLES of each change in id order: parts merged in id order give the same first ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from moderation.policy.model import Named
from moderation.services.learning.replay import EXAMPLES, Replay, ReplayFilter, Side


def replay_part(report: Replay) -> dict[str, Any]:
    """A replay of one id range as JSON-safe data (the policy, filter and site list are the caller's)."""
    return {
        "comments": report.comments, "unscored": report.unscored, "matches_stored": report.matches_stored,
        "removed_by_moderators": report.removed_by_moderators,
        "first": report.first.isoformat() if report.first else None,
        "last": report.last.isoformat() if report.last else None,
        "before": _side(report.before), "after": _side(report.after),
        "changes": dict(report.changes), "examples": report.examples,
    }


def _side(side: Side) -> dict[str, Any]:
    return {"actions": dict(side.actions), "clauses": [[c, a, n] for (c, a), n in side.clauses.items()],
            "stopped_decided": side.stopped_decided, "stopped_removed": side.stopped_removed}


def merge_parts(policy: Named, flt: ReplayFilter, sites: list[str], parts: Iterable[dict[str, Any]]) -> Replay:
    """The whole replay from its parts, given in id order (each part is read once: they may come from a stream)."""
    report = Replay(policy, flt, sites=sites)
    for part in parts:
        report.comments += part["comments"]
        report.unscored += part["unscored"]
        report.matches_stored += part["matches_stored"]
        report.removed_by_moderators += part["removed_by_moderators"]
        if part["first"] is not None:
            first, last = datetime.fromisoformat(part["first"]), datetime.fromisoformat(part["last"])
            report.first = min(report.first or first, first)
            report.last = max(report.last or last, last)
        _add_side(report.before, part["before"])
        _add_side(report.after, part["after"])
        report.changes.update(part["changes"])
        for change, examples in part["examples"].items():
            kept = report.examples.setdefault(change, [])
            kept.extend(examples[:EXAMPLES - len(kept)])
    return report


def _add_side(side: Side, part: dict[str, Any]) -> None:
    side.actions.update(part["actions"])
    for clause, action, count in part["clauses"]:
        side.clauses[(clause, action)] += count
    side.stopped_decided += part["stopped_decided"]
    side.stopped_removed += part["stopped_removed"]
