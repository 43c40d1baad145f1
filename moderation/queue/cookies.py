"""The session cookie is written only for a request that brought it, or by a sign-in that succeeded.

A form posted from another site arrives without the SameSite=Lax cookie; if its answer carried a new
(anonymous) cookie, the browser would replace the moderator's with it and sign them out. So refused
and anonymous requests never set, refresh or delete the cookie: an anonymous visitor gets none at all
(the login form has a token cookie of its own), and a refusal (4xx, 5xx) leaves the one it came with.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.wrappers import Response

_STARTS = "moderation.starts_session"


def start_session() -> None:
    """Mark this request as the sign-in that may give the browser its first session cookie."""
    g.setdefault(_STARTS, True)


def _may_write(app: Flask, response: Response) -> bool:
    if response.status_code >= 400:
        return False
    return bool(g.get(_STARTS)) or app.config["SESSION_COOKIE_NAME"] in request.cookies


class QueueSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, saved only where `_may_write` allows."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:  # type: ignore[override]
        if _may_write(app, response):
            super().save_session(app, session, response)
