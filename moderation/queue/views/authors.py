"""The author drawer: a commenter's whole record, notes, and suspending or banning them; and finding a commenter."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from moderation.extensions import get_session
from moderation.queue import bp
from moderation.queue.access import current, safe_next
from moderation.queue.forms import AuthorSearchArgs, NoteForm, RestrictForm, ValidationError, load
from moderation.services.queue.author_record import (
    AuthorActionError,
    Restriction,
    add_note,
    author_record,
    restrict_author,
    search_authors,
)
from moderation.services.queue.authors import AuthorNotFoundError


@bp.get("/authors")
def authors() -> str:
    """Find a commenter by their site id or name, across the whole history."""
    try:
        query = load(AuthorSearchArgs(), request.args)["q"]
    except ValidationError:
        query = ""
    return render_template("queue/authors.html", q=query, matches=search_authors(get_session(), query),
                           active_queue="authors")


@bp.get("/authors/<id:author_id>")
def author(author_id: int) -> str:
    """The author drawer: their record, notes, and the actions on them."""
    try:
        record = author_record(get_session(), current(), author_id)
    except AuthorNotFoundError:
        abort(404)
    back = safe_next(request.args.get("back"))
    return render_template("queue/author.html", a=record, back=back, restrictions=list(Restriction), active_queue="authors",
                           here=url_for("queue.author", author_id=author_id, back=back))


def _here(author_id: int) -> str:
    return url_for("queue.author", author_id=author_id, back=safe_next(request.args.get("back")))


@bp.post("/authors/<id:author_id>/notes")
def author_note(author_id: int) -> Response:
    """Keep a note with the commenter's record."""
    try:
        form = load(NoteForm(), request.form)
        add_note(get_session(), current(), author_id, form["text"])
    except (ValidationError, AuthorActionError):
        flash("The note was not kept: write it first (at most 2,000 characters).", "error")
        return redirect(_here(author_id), 303)
    except AuthorNotFoundError:
        abort(404)
    flash("Note kept.", "success")
    return redirect(_here(author_id), 303)


@bp.post("/authors/<id:author_id>/restrict")
def author_restrict(author_id: int) -> Response:
    """Suspend or ban the commenter, with a reason and a confirmation; optionally reject their waiting comments."""
    try:
        form = load(RestrictForm(), request.form)
        name, rejected = restrict_author(
            get_session(), current(), author_id, form["restriction"], form["reason"],
            confirmed=form["confirm"], reject_waiting=form["reject_waiting"],
        )
    except ValidationError:
        flash("Nothing was changed: choose a suspension or a ban.", "error")
        return redirect(_here(author_id), 303)
    except AuthorActionError as exc:
        flash(f"Nothing was changed. {exc}", "error")
        return redirect(_here(author_id), 303)
    except AuthorNotFoundError:
        abort(404)
    hours = form["restriction"].hours
    what = f"is suspended for {hours // 24} days" if hours and hours >= 48 else (
        "is suspended for 24 hours" if hours else "is banned")
    also = f"; {rejected} waiting comment{'s' if rejected != 1 else ''} rejected" if form["reject_waiting"] else ""
    flash(f"{name} {what}: new comments are rejected{also}.", "success")
    return redirect(_here(author_id), 303)
