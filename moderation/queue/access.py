"""Who may open which queue page: every route is for signed-in moderators unless marked public."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from moderation.db.enums import UserRole
from moderation.extensions import get_session
from moderation.queue import csrf
from moderation.services.queue.accounts import Moderator, signed_in

F = TypeVar("F", bound=Callable[..., object])

ALL_ROLES = frozenset(UserRole)
LEGAL_ROLES = frozenset({UserRole.LEGAL, UserRole.ADMIN})


def roles(*allowed: UserRole) -> Callable[[F], F]:
    """Limit a view to these roles (views without it are open to every signed-in role)."""

    def mark(view: F) -> F:
        view.queue_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return view

    return mark


def public(view: F) -> F:
    """Open a view to visitors who are not signed in (the login page only)."""
    view.queue_public = True  # type: ignore[attr-defined]
    return view


def allowed_roles(endpoint: str) -> frozenset[UserRole] | None:
    """The roles an endpoint admits; None when it is public."""
    view = current_app.view_functions[endpoint]
    if endpoint == "queue.static" or getattr(view, "queue_public", False):
        return None
    return frozenset(getattr(view, "queue_roles", ALL_ROLES))


def current() -> Moderator:
    """The signed-in moderator of this request (set by guard())."""
    moderator: Moderator = g.moderator
    return moderator


UNSAVED = "unsaved"
#: Messages the login page shows for its `notice` parameter (a fixed key, never text from the address).
NOTICES = {UNSAVED: "You were signed out, so that was not saved. Sign in, then do it again."}


def safe_next(target: str | None) -> str:
    """A post-login destination inside the queue; anything else (other hosts, //evil) goes to the start page."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/queue/") and "\\" not in target:
            return target
    return url_for("queue.index")


def _to_login(was_signed_in: bool) -> Response:
    """Send a visitor who is not (or no longer) signed in to the login page, to come back where they were."""
    if request.method == "GET":
        if was_signed_in:
            flash("Your sign-in has ended. Sign in again to carry on.", "info")
        return redirect(url_for("queue.login", next=request.full_path.rstrip("?")))
    # A post without a valid sign-in changes nothing; say so, and return to the page it was sent from.
    # Without a session cookie (expired, or a form posted from another site) the message travels in the
    # address: writing it into a new cookie would replace, and so sign out, a moderator's real one.
    came_with_cookie = current_app.config["SESSION_COOKIE_NAME"] in request.cookies
    if came_with_cookie:
        flash(NOTICES[UNSAVED], "error")
    referrer = urlsplit(request.referrer or "")
    same_host = referrer.netloc == request.host
    came_from = (
        request.form.get("here")
        or request.form.get("back")
        or (referrer.path + (f"?{referrer.query}" if referrer.query else "") if same_host else None)
    )
    notice = {} if came_with_cookie else {"notice": UNSAVED}
    return redirect(url_for("queue.login", next=safe_next(came_from), **notice), 303)


def guard() -> Response | None:
    """Before every queue request: the signed-in account (or the login page), then CSRF, then the role."""
    endpoint = request.endpoint or ""
    if endpoint not in current_app.view_functions:
        csrf.protect()
        return None  # a 404 or 405 is answered as usual
    needed = allowed_roles(endpoint)
    if needed is None:
        if request.method not in csrf.SAFE_METHODS:
            csrf.protect_login()  # the login form: its token lives in its own cookie, not in a session
        return None
    moderator = signed_in(
        get_session(),
        session.get("uid"),
        session.get("stamp"),
        session.get("since"),
        max_hours=float(current_app.config["QUEUE_SESSION_HOURS"]),
    )
    if moderator is None:
        was_signed_in = "uid" in session
        for key in ("uid", "stamp", "since"):
            session.pop(key, None)
        # Before the CSRF check: without a sign-in nothing can change, and an expired cookie (which took the
        # token with it) should lead to the login page, not to a bare "form expired".
        return _to_login(was_signed_in)
    csrf.protect()
    if moderator.role not in needed:
        abort(403)
    g.moderator = moderator
    return None
