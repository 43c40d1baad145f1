"""Per-story moderation: the stories with what waits on each, and opening or closing their comments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from moderation.db.enums import UserRole
from moderation.extensions import get_session
from moderation.queue import bp
from moderation.queue.access import current, roles
from moderation.queue.forms import StoryForm, ValidationError, load
from moderation.services.queue.stories import StoryNotFoundError, list_stories, set_comments_open

#: Who may open and close a story's comments: the editors (legal) and admins, as the site's own editors can.
EDITORS = (UserRole.LEGAL, UserRole.ADMIN)


@bp.get("/stories")
def stories() -> str:
    """Every story with comments waiting, in legal review or reported; most first."""
    return render_template(
        "queue/stories.html", stories=list_stories(get_session()), may_close=current().role in EDITORS,
        active_queue="stories",
    )


@bp.post("/stories/<id:article_id>")
@roles(*EDITORS)
def story_comments(article_id: int) -> Response:
    """Open or close comments on one story."""
    try:
        form = load(StoryForm(), request.form)
    except ValidationError:
        flash("Nothing was changed: choose to open or close the comments.", "error")
        return redirect(url_for("queue.stories"), 303)
    try:
        title = set_comments_open(get_session(), current(), article_id, is_open=form["comments"] == "open")
    except StoryNotFoundError:
        abort(404)
    flash(f"Comments are {'open' if form['comments'] == 'open' else 'closed'} on “{title}”.", "success")
    return redirect(url_for("queue.stories"), 303)
