"""CSRF protection for every state-changing queue request: a per-session token, checked in constant time."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import abort, request, session

SESSION_KEY = "csrf"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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


def protect() -> None:
    """Refuse (400) a state-changing request whose token is missing or wrong, or that comes from another origin."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        abort(400, description="This form was sent from another site. Reload the page and try again.")
    expected = session.get(SESSION_KEY)
    sent = request.form.get(FORM_FIELD) or request.headers.get(HEADER) or ""
    if not isinstance(expected, str) or not expected or not hmac.compare_digest(expected.encode(), _bytes(sent)):
        abort(400, description="Your form had expired. Reload the page and try again.")
