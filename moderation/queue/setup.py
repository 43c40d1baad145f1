"""Wire the queue into the app: signing key, cookie settings, login throttle, request guards and routes."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, make_response, render_template
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from moderation.db.base import MAX_ID
from moderation.db.enums import MODERATOR_CHOICES, DecisionAction
from moderation.extensions import register_error_format
from moderation.queue import access, bp, csrf, headers
from moderation.queue.cookies import QueueSessionInterface
from moderation.queue.secrets_file import load_or_create_secret_key
from moderation.services.queue.throttle import LoginThrottle


def init_app(app: Flask) -> None:
    """Configure sessions for the queue and register its blueprint (QUEUE_* settings: see `moderation.config`)."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    app.config.update(
        SESSION_COOKIE_NAME="moderation_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config["QUEUE_COOKIE_SECURE"]),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["QUEUE_SESSION_HOURS"]),
    )
    app.extensions["moderation.login_throttle"] = LoginThrottle.from_uri(app.config["RATELIMIT_STORAGE_URI"])
    app.session_interface = QueueSessionInterface()
    app.jinja_env.globals["csrf_token"] = csrf.token
    app.jinja_env.globals["login_token"] = csrf.login_token
    # The decision vocabulary: pages (and queue.js, through the buttons' data attributes) read it from here.
    app.jinja_env.globals["actions"] = DecisionAction
    app.jinja_env.globals["moderator_choices"] = MODERATOR_CHOICES

    app.url_map.converters["id"] = IdConverter
    from moderation.queue import views  # noqa: F401  (registers the routes on bp)

    if "queue" not in app.blueprints:
        app.register_blueprint(bp)
        # An address under /queue/ that matches no route gets the queue's error page and headers too.
        register_error_format(app, f"{bp.url_prefix}/", _unrouted)


class IdConverter(IntegerConverter):
    """A row id in a path: a whole number a table can hold; anything else is not found (404), never a 500."""

    def __init__(self, url_map, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(url_map, min=1, max=MAX_ID)


def _unrouted(exc: HTTPException) -> Response:
    return headers.secure_headers(make_response(render_template("queue/error.html", error=exc), exc.code or 404))


@bp.before_request
def _guard():  # type: ignore[no-untyped-def]
    return access.guard()


@bp.after_request
def _headers(response):  # type: ignore[no-untyped-def]
    return headers.secure_headers(csrf.give_login_cookie(response))


@bp.errorhandler(HTTPException)
def _error(exc: HTTPException):  # type: ignore[no-untyped-def]
    return render_template("queue/error.html", error=exc), exc.code or 500
