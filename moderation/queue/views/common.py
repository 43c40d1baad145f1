"""What the queue's views share: template filters, the nav counts and the app's policies."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, g
from werkzeug.datastructures import MultiDict

from moderation.db.base import utcnow
from moderation.extensions import get_session, resources
from moderation.policy.model import Policy
from moderation.queue import bp
from moderation.queue.forms import QueueArgs, ValidationError, load
from moderation.services.queue.lists import Filters, QueueName, counts

#: The list filters a page carries in its links, so a comment page keeps the moderator's place.
_FILTER_KEYS = ("article", "clause", "language", "author", "author_id", "q")


#: The query parameter naming comments a list page shows ticked (those a refused bulk decision left).
PICKED = "picked"


def picked(source: MultiDict[str, str]) -> frozenset[int]:
    """The comments a list page should show ticked; anything not an id is ignored."""
    return frozenset(int(v) for v in source.getlist(PICKED)[:500] if v.isdigit() and len(v) < 19)


def policies() -> dict[str, Policy]:
    """The loaded site policies by name."""
    return resources().policies


def clause_ids() -> list[str]:
    """The clauses of every loaded policy, sorted (the lists' clause filter)."""
    return sorted({c.id for p in policies().values() for c in p.clauses})


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


@bp.app_template_filter("when")
def when(moment: datetime | None, form: str = "%Y-%m-%d %H:%M %Z") -> str:
    """A timestamp for people in the newsroom's zone (QUEUE_TIMEZONE): "2026-11-26 12:35 IST"."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(current_app.config["QUEUE_TIMEZONE"])).strftime(form)


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


def page_size() -> int:
    """How many comments a list page shows (QUEUE_PAGE_SIZE)."""
    return max(1, int(current_app.config["QUEUE_PAGE_SIZE"]))


def list_args(source: MultiDict[str, str]) -> tuple[dict[str, Any], str | None]:
    """A list's filters, order and page from a query string; what cannot be parsed is ignored, with a message."""
    try:
        return load(QueueArgs(clause_ids()), source), None
    except ValidationError as exc:
        problems = ", ".join(exc.messages) if isinstance(exc.messages, dict) else str(exc.messages)
        return load(QueueArgs(), MultiDict()), "Some filters were not understood and were ignored: " + problems


def filters_of(args: dict[str, Any]) -> Filters:
    """The service's filters from parsed list arguments."""
    return Filters(
        article_id=args["article"],
        clause=args["clause"],
        language=args["language"],
        author=args["author"],
        author_id=None if args["author"] else args["author_id"],  # a typed author replaces a clicked one
        text=args["q"],
        order=args["order"],
    )


def carried(args: dict[str, Any]) -> dict[str, Any]:
    """The list arguments worth putting in a link: the filters set, an order chosen, a page past the first."""
    out = {k: args[k] for k in _FILTER_KEYS if args.get(k) not in (None, "")}
    if args.get("order"):
        out["order"] = args["order"].value
    if args.get("page", 1) > 1:
        out["page"] = args["page"]
    return out
