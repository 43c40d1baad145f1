"""Coordinated comments: the groups of near-identical comments still waiting, one group's members, and one
decision for all of them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from moderation.extensions import get_session
from moderation.queue import bp
from moderation.queue.access import current
from moderation.queue.forms import DecideForm, ValidationError, load
from moderation.queue.views.common import default_policy, policies
from moderation.services.queue import decide as decisions
from moderation.services.queue.groups import GroupNotFoundError, decide_group, open_group, waiting_groups


@bp.get("/groups")
def groups() -> str:
    """Each group of near-identical comments with members still waiting, as one item, the largest first."""
    return render_template("queue/groups.html", groups=waiting_groups(get_session()), active_queue="groups")


@bp.get("/groups/<id:group_id>")
def group(group_id: int) -> str:
    """A group's members, and the decision that applies to every waiting one."""
    try:
        view = open_group(get_session(), group_id)
    except GroupNotFoundError:
        abort(404)
    return render_template("queue/group.html", g=view, policy=default_policy(), active_queue="groups")


@bp.post("/groups/<id:group_id>/decide")
def decide_group_view(group_id: int) -> Response:
    """Approve, reject or escalate the group's waiting members, each from the state the moderator saw."""
    here = url_for("queue.group", group_id=group_id)
    try:
        form = load(DecideForm(), request.form, lists=("item",))
        items = [(int(i), decisions.Seen.parse(s)) for i, s in (v.split("@", 1) for v in form["item"])]
    except ValidationError:
        flash("Nothing was decided: choose a decision (and, to reject, a guideline).", "error")
        return redirect(here, 303)
    except decisions.DecisionInputError as exc:
        flash(str(exc), "error")
        return redirect(here, 303)
    choice = decisions.ModeratorChoice(form["verb"], form["reason"], form["note"])
    try:
        outcome = decide_group(get_session(), policies(), current(), group_id, items, choice)
    except GroupNotFoundError:
        abort(404)
    if outcome.decided:
        n = len(outcome.decided)
        flash(f"{choice.action.label}: {n} comment{'s' if n != 1 else ''} of the group.", "success")
    by_message: dict[str, list[int]] = {}
    for comment_id, message in outcome.refused:
        by_message.setdefault(message, []).append(comment_id)
    for message, ids in by_message.items():
        flash(f"{len(ids)} comment{'s' if len(ids) != 1 else ''} ({', '.join(map(str, ids[:20]))}): {message}", "error")
    return redirect(here, 303)
