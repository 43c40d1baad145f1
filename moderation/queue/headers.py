"""Response headers for the queue pages: a strict Content-Security-Policy and friends."""

from __future__ import annotations

from flask import Response

#: Scripts and styles only from our own static files: no inline script, no inline style, no eval.
CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)


def secure_headers(response: Response) -> Response:
    """Add the CSP and hardening headers; pages carry reader text, so nothing is cached or framed."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if response.mimetype in ("text/html", "text/csv"):
        response.headers["Cache-Control"] = "no-store"
    return response
