"""CSRF protection for every state-changing queue request: a per-session token, checked in constant time."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import abort, current_app, g, request, session
from werkzeug.wrappers import Response

SESSION_KEY = "csrf"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The login form's own token cookie: an anonymous visitor gets no session cookie (see `moderation.queue.cookies`).
LOGIN_COOKIE = "moderation_login"
LOGIN_COOKIE_PATH = "/queue/login"
_FRESH_NONCE = "moderation.login_nonce"


def token() -> str:
    """This session's CSRF token, created on first use (templates put it in every form)."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, str) or not value:
        value = secrets.token_urlsafe(32)
        session[SESSION_KEY] = value
    return value


def rotate() -> str:
    """A fresh token, used at login so a token seen before login is worthless after it."""
    session[SESSION_KEY] = secrets.token_urlsafe(32)
    return str(session[SESSION_KEY])


def _bytes(text: str) -> bytes:
    """A token as bytes to compare: a forged one may hold any character."""
    return text.encode("utf-8", "surrogatepass")


def _same_origin() -> None:
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        abort(400, description="This form was sent from another site. Reload the page and try again.")


def _login_token_for(nonce: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"login:" + nonce.encode(), "sha256").hexdigest()


def _login_nonce() -> str | None:
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    return nonce if 20 <= len(nonce) <= 100 and nonce.isascii() else None


def login_token() -> str:
    """The login form's token: a keyed hash of its cookie's random value (double submit, no session needed)."""
    nonce = _login_nonce() or g.get(_FRESH_NONCE)
    if nonce is None:
        nonce = g.setdefault(_FRESH_NONCE, secrets.token_urlsafe(32))
    return _login_token_for(nonce)


def give_login_cookie(response: Response) -> Response:
    """After a request that made a login token: the cookie holding its random value."""
    nonce = g.get(_FRESH_NONCE)
    if nonce is not None:
        response.set_cookie(
            LOGIN_COOKIE,
            nonce,
            path=LOGIN_COOKIE_PATH,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        )
    return response


def protect_login() -> None:
    """Refuse (400) a sign-in posted from another origin, or without the token its login page gave."""
    _same_origin()
    nonce = _login_nonce()
    sent = request.form.get(FORM_FIELD) or ""
    if nonce is None or not hmac.compare_digest(_login_token_for(nonce).encode(), _bytes(sent)):
        abort(400, description="Your form had expired. Reload the page and try again.")


def protect() -> None:
    """Refuse (400) a state-changing request whose token is missing or wrong, or that comes from another origin."""
    if request.method in SAFE_METHODS:
        return
    _same_origin()
    expected = session.get(SESSION_KEY)
    sent = request.form.get(FORM_FIELD) or request.headers.get(HEADER) or ""
    if not isinstance(expected, str) or not expected or not hmac.compare_digest(expected.encode(), _bytes(sent)):
        abort(400, description="Your form had expired. Reload the page and try again.")
