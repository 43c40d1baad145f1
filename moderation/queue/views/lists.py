"""The queue lists and their live counts."""

from __future__ import annotations

from datetime import datetime

from flask import abort, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from moderation.db.base import utcnow
from moderation.enums import Script
from moderation.extensions import get_session
from moderation.queue import bp
from moderation.queue.access import current
from moderation.queue.views.common import carried, clause_ids, default_policy, filters_of, list_args, page_size, picked
from moderation.services.queue.lists import QueueName, counts, default_order, list_queue, live_state
from moderation.services.queue.permissions import may_decide


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
    args, error = list_args(request.args)
    moderator = current()
    drawn = utcnow()  # before reading the list, so nothing that arrives meanwhile is missed by the live poll
    page = list_queue(
        get_session(), queue, filters_of(args), user_id=moderator.id, page=args["page"], page_size=page_size()
    )
    here = {**carried({**args, "page": page.page}), "list": queue.value}
    return render_template(
        "queue/list.html",
        page=page,
        args=args,
        order=(args["order"] or default_order(queue)).value,
        picked=picked(request.args),
        live_url=url_for("queue.live_list", name=queue.value, **carried(args), since=drawn.isoformat()),
        error=error,
        can_decide=may_decide(moderator, queue),
        clause_ids=clause_ids(),
        scripts=[s.value for s in Script],
        policy=default_policy(),
        back=url_for("queue.show", name=queue.value, **{k: v for k, v in here.items() if k != "list"}),
        all_authors=url_for("queue.show", name=queue.value,
                            **{k: v for k, v in here.items() if k not in ("list", "author_id", "page")}),
        here=here,
    )


@bp.get("/q/<name>/live")
def live_list(name: str) -> Response:
    """For an open list page (polled with the counts): its rows others decided meanwhile, and how many comments
    arrived since it was drawn (`shown`: the page's ids, `since`: when it was drawn, with the list's filters)."""
    try:
        queue = QueueName(name)
    except ValueError:
        abort(404)
    args, _error = list_args(request.args)
    shown = [int(v) for v in request.args.get("shown", "").split(",") if v.isdigit() and len(v) < 19]
    try:
        since = datetime.fromisoformat(request.args.get("since", ""))
    except ValueError:
        abort(400, description="since: not a timestamp")
    if since.tzinfo is None:
        abort(400, description="since: needs a time zone")
    state = live_state(get_session(), queue, filters_of(args), shown, since)
    response = jsonify({"gone": state.gone, "new": state.new})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/counts")
def live_counts() -> Response:
    """How many comments each queue holds (polled by the pages to keep the numbers live)."""
    response = jsonify(counts(get_session()))
    response.headers["Cache-Control"] = "no-store"
    return response
