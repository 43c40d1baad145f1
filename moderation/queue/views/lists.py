"""The queue lists and their live counts."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from moderation.enums import Script
from moderation.extensions import get_session
from moderation.policy.model import CLAUSE_IDS
from moderation.queue import bp
from moderation.queue.access import current
from moderation.queue.forms import QueueArgs, ValidationError, load
from moderation.queue.views.common import default_policy
from moderation.services.queue_lists import Filters, QueueName, counts, list_queue


@bp.get("/")
def index() -> Response:
    """Start at Pending review."""
    return redirect(url_for("queue.show", name=QueueName.PENDING.value))


@bp.get("/q/<name>")
def show(name: str) -> str | tuple[str, int]:
    """One queue, risk first (or oldest first), filtered."""
    try:
        queue = QueueName(name)
    except ValueError:
        abort(404)
    try:
        args = load(QueueArgs(), request.args)
        error = None
    except ValidationError as exc:
        args, error = (
            load(QueueArgs(), MultiDict()),
            "Some filters were not understood and were ignored: " + ", ".join(exc.messages),
        )
    filters = Filters(
        article_id=args["article"],
        clause=args["clause"],
        language=args["language"],
        author=args["author"],
        author_id=args["author_id"],
        text=args["q"],
        oldest_first=args["order"] == "oldest",
    )
    moderator = current()
    page = list_queue(get_session(), queue, filters, user_id=moderator.id, page=args["page"])
    can_decide = not (queue is QueueName.LEGAL and not moderator.decides_legal) and not (
        queue is QueueName.TAKEN_DOWN and not moderator.decides_legal
    )
    return render_template(
        "queue/list.html",
        page=page,
        args=args,
        error=error,
        can_decide=can_decide,
        clause_ids=CLAUSE_IDS,
        scripts=[s.value for s in Script],
        policy=default_policy(),
        back=request.full_path.rstrip("?"),
    )


@bp.get("/counts")
def live_counts() -> Response:
    """How many comments each queue holds (polled by the pages to keep the numbers live)."""
    response = jsonify(counts(get_session()))
    response.headers["Cache-Control"] = "no-store"
    return response
