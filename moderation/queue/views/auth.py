"""Signing in and out of the moderator queue."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from moderation.extensions import get_session
from moderation.queue import bp, csrf
from moderation.queue.access import NOTICES, current, public, safe_next
from moderation.queue.cookies import start_session
from moderation.queue.forms import LoginForm, ValidationError, load
from moderation.services.queue.accounts import LoginFailedError, authenticate, sign_out
from moderation.services.queue.throttle import LoginThrottledError


@bp.get("/login")
@public
def login() -> str:
    """The sign-in form."""
    notice = NOTICES.get(request.args.get("notice", ""))
    return render_template("queue/login.html", next=request.args.get("next", ""), email="", notice=notice)


@bp.post("/login")
@public
def login_post() -> Response | tuple[str, int, dict[str, str]] | tuple[str, int]:
    """Check the credentials (throttled), then start a fresh session."""
    try:
        form = load(LoginForm(), request.form)
    except ValidationError:
        return render_template(
            "queue/login.html",
            error="Enter your e-mail address and password.",
            next=request.form.get("next", ""),
            email=request.form.get("email", ""),
        ), 400
    throttle = current_app.extensions["moderation.login_throttle"]
    try:
        moderator, stamp = authenticate(
            get_session(), throttle, form["email"], form["password"], request.remote_addr or "unknown"
        )
    except LoginThrottledError as exc:
        page = render_template("queue/login.html", error=str(exc), next=form["next"] or "", email=form["email"])
        return page, 429, {"Retry-After": str(exc.retry_after_s)}
    except LoginFailedError as exc:
        return render_template("queue/login.html", error=str(exc), next=form["next"] or "", email=form["email"]), 401
    start_session()
    session.clear()  # nothing from before sign-in survives it
    session.permanent = True
    session["uid"], session["stamp"], session["since"] = moderator.id, stamp, time.time()
    csrf.rotate()
    return redirect(safe_next(form["next"]), 303)


@bp.post("/logout")
def logout() -> Response:
    """End this session and every earlier one of the account (a copied cookie stops working too)."""
    sign_out(get_session(), current().id)
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("queue.login"), 303)
