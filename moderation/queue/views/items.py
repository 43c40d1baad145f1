"""One comment's page, and the decisions taken on it (singly or in bulk) and on its author."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from moderation.extensions import get_scorer, get_session, scorer_timeout
from moderation.queue import bp
from moderation.queue.access import current, safe_next
from moderation.queue.forms import AuthorForm, DecideForm, EditForm, ValidationError, load
from moderation.queue.views.common import PICKED, carried, default_policy, filters_of, list_args, page_size, policies
from moderation.services.queue import decide as decisions
from moderation.services.queue.authors import AuthorNotFoundError, act_on_author
from moderation.services.queue.claims import release
from moderation.services.queue.detail import CommentNotFoundError, open_comment
from moderation.services.queue.lists import QueueName, place_in_list


def _messages(exc: ValidationError) -> str:
    fields = exc.messages if isinstance(exc.messages, dict) else {"form": exc.messages}
    return "; ".join(
        f"{name}: {' '.join(map(str, msgs if isinstance(msgs, list) else [msgs]))}" for name, msgs in fields.items()
    )


def _list_name() -> QueueName | None:
    try:
        return QueueName(request.args.get("list", ""))
    except ValueError:
        return None


@bp.get("/c/<id:comment_id>")
def comment(comment_id: int) -> str:
    """The comment at a glance; opening it claims it for a few minutes.

    The list it was opened from (`list` and the list's filters, order and page in the query string) is kept
    in the back link, Previous/Next and the page shown after a decision. A page opened from another site (a
    link elsewhere, which carries the sign-in cookie) shows the comment without claiming it, so no outside
    page can keep comments away from the people deciding them.
    """
    args, _error = list_args(request.args)
    came_from = _list_name()
    within = (came_from, filters_of(args)) if came_from else None
    try:
        view = open_comment(
            get_session(), policies(), current(), comment_id, current_app.config["QUEUE_CLAIM_MINUTES"], within,
            claim_it=request.headers.get("Sec-Fetch-Site") != "cross-site",
        )
    except CommentNotFoundError:
        abort(404)
    list_name = came_from or view.queue_name
    if view.position is not None:  # Previous/Next may have crossed a page boundary
        args = {**args, "page": view.position // page_size() + 1}
    keep = carried(args)
    nav = {**keep, "list": list_name.value}
    return render_template(
        "queue/item.html",
        c=view,
        list_name=list_name,
        nav=nav,
        back=url_for("queue.show", name=list_name.value, **keep),
        here=url_for("queue.comment", comment_id=view.id, **nav),
        policy_fallback=default_policy(),
    )


@bp.post("/decide")
def decide() -> Response:
    """Approve, reject or escalate the chosen comments; each is decided only from the state the moderator saw."""
    back = safe_next(request.form.get("back"))
    try:
        form = load(DecideForm(), request.form, lists=("item",))
    except ValidationError as exc:
        if "item" in exc.messages:
            flash("Select at least one comment first.", "error")
        else:
            flash(f"The decision was not recorded: {_messages(exc)}", "error")
        return redirect(back, 303)
    try:
        items = [(int(i), decisions.Seen.parse(s)) for i, s in (v.split("@", 1) for v in form["item"])]
    except decisions.DecisionInputError as exc:
        flash(str(exc), "error")
        return redirect(back, 303)
    choice = decisions.ModeratorChoice(form["verb"], form["reason"], form["note"], form["reader_message"])
    outcome = decisions.decide_comments(get_session(), policies(), current(), items, choice)
    if outcome.decided:
        n = len(outcome.decided)
        flash(f"{choice.action.label}: {n} comment{'s' if n != 1 else ''}.", "success")
    # One line per reason, naming the comments it refused ("Choose the guideline…" once for a whole page).
    by_message: dict[str, list[int]] = {}
    for comment_id, message in outcome.refused:
        by_message.setdefault(message, []).append(comment_id)
    for message, ids in by_message.items():
        which = f"Comment {ids[0]}" if len(ids) == 1 else f"{len(ids)} comments ({', '.join(map(str, ids))})"
        flash(f"{which}: {message}", "error")
    if outcome.refused and form["here"]:  # refused on the comment's own page: stay there to see why
        return redirect(safe_next(form["here"]), 303)
    if outcome.refused:  # back to the list with the refused ones still ticked, to fix (a reason) and send again
        return redirect(_with_picked(back, [comment_id for comment_id, _ in outcome.refused]), 303)
    return redirect(_unless_gone(back), 303)


def _with_picked(back: str, ids: list[int]) -> str:
    """`back` (a list page) asking it to tick these comments again."""
    parts = urlsplit(back)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != PICKED] + [(PICKED, str(i)) for i in ids]
    return parts._replace(query=urlencode(query)).geturl()


_COMMENT_PATH = re.compile(r"/queue/c/(\d+)")


def _unless_gone(back: str) -> str:
    """`back`, or its list when it is the next comment's page and that comment has left the list meanwhile
    (someone else decided it), so a decision never lands on a comment that is no longer waiting."""
    parts = urlsplit(back)
    match = _COMMENT_PATH.fullmatch(parts.path)
    query = MultiDict(parse_qsl(parts.query))
    try:
        name = QueueName(query.get("list", ""))
    except ValueError:
        return back
    if match is None:
        return back
    args, _error = list_args(query)
    if place_in_list(get_session(), int(match.group(1)), name, filters_of(args))[2] is not None:
        return back
    return url_for("queue.show", name=name.value, **carried(args))


@bp.post("/c/<id:comment_id>/edit")
def edit(comment_id: int) -> Response:
    """Publish a redacted text; the original stays in the revision history."""
    came_from = _list_name()
    keep = carried(list_args(request.args)[0])
    here = url_for("queue.comment", comment_id=comment_id, **keep, **({"list": came_from.value} if came_from else {}))
    try:
        form = load(EditForm(), request.form)
        seen = decisions.Seen.parse(form["seen"])
        decisions.edit_and_approve(
            get_session(), policies(), get_scorer(), current(), comment_id, seen, form["text"], form["note"],
            timeout_s=scorer_timeout(),
        )
    except ValidationError as exc:
        flash(f"The edit was not saved: {_messages(exc)}", "error")
        return redirect(here, 303)
    except (decisions.DecisionConflictError, decisions.DecisionNotAllowedError, decisions.DecisionInputError) as exc:
        flash(str(exc), "error")
        return redirect(here, 303)
    flash("Edited and approved; the original text is kept in the revision history.", "success")
    # On to the next comment, as after approve and reject (the form carries it; the edited one stays a click back).
    return redirect(_unless_gone(safe_next(form["back"])) if form["back"] else here, 303)


@bp.post("/c/<id:comment_id>/release")
def release_claim(comment_id: int) -> Response:
    """Give the comment back to the queue without deciding it."""
    release(get_session(), comment_id, current().id)
    return redirect(safe_next(request.form.get("back")), 303)


@bp.post("/authors/<id:author_id>")
def author_action(author_id: int) -> Response:
    """Always pre-moderate, ban, or lift either, for a commenter."""
    back = safe_next(request.form.get("back"))
    try:
        form = load(AuthorForm(), request.form)
        name = act_on_author(get_session(), current(), author_id, form["action"], form["note"])
    except ValidationError as exc:
        flash(f"Nothing was changed: {_messages(exc)}", "error")
        return redirect(back, 303)
    except AuthorNotFoundError:
        abort(404)
    done = {"premoderate": "will always be pre-moderated", "lift": "is treated normally again"}[form["action"].value]
    flash(f"{name} {done}.", "success")
    return redirect(back, 303)
