"""What the queue's views share: template filters, the nav counts and the app's policies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, g

from moderation.db.base import utcnow
from moderation.extensions import get_session, resources
from moderation.policy.model import Policy
from moderation.queue import bp
from moderation.services.queue_lists import QueueName, counts


def policies() -> dict[str, Policy]:
    """The loaded site policies by name."""
    return resources().policies


def default_policy() -> Policy:
    """The policy whose clauses the list pages offer as rejection reasons."""
    res = resources()
    return res.policies[res.default_policy]


@bp.app_template_filter("age")
def age(when: datetime | None) -> str:
    """How long ago, in the largest whole unit: "4 min", "3 h", "2 d"."""
    if when is None:
        return ""
    seconds = max(0, int((utcnow() - when).total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


@bp.app_template_filter("utc")
def utc(when: datetime | None) -> str:
    """A timestamp for people: "2026-11-26 07:05 UTC"."""
    return when.strftime("%Y-%m-%d %H:%M UTC") if when else ""


@bp.app_template_filter("pct")
def pct(score: float | None) -> str:
    """A 0..1 score as a whole percentage."""
    return "" if score is None else f"{round(score * 100)}%"


@bp.context_processor
def _nav() -> dict[str, Any]:
    moderator = g.get("moderator")
    if moderator is None:
        return {"moderator": None, "queues": list(QueueName), "queue_counts": {}}
    return {
        "moderator": moderator,
        "queues": list(QueueName),
        "queue_counts": counts(get_session()),
        "claim_minutes": current_app.config["QUEUE_CLAIM_MINUTES"],
    }


@bp.app_template_filter("reject_none")
def reject_none(values: dict[str, Any]) -> dict[str, Any]:
    """Query arguments without the empty ones, for building page links."""
    return {k: v for k, v in values.items() if v is not None and v != ""}
