"""Rate limits per API key (Flask-Limiter; Redis storage when RATELIMIT_STORAGE_URI names it).

Every machine-facing surface is limited: the JSON API and the Perspective drop-in per live API key (a bearer token,
or Perspective's `?key=` / `X-Goog-Api-Key`; a missing or failing key counts against the caller's address), the Coral phase per site and calling address — Coral's signature
is checked only in the view, so an unsigned flood from elsewhere cannot use up the real Coral server's allowance.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from moderation import budgets
from moderation.auth import bearer_token, google_api_key, key_site
from moderation.services.sites import key_prefix
from moderation.unavailable import RETRY_AFTER_KEY

API, PERSPECTIVE, CORAL = "/api/v1/", "/v1alpha1/", "/coral/v1/"


def rate_key() -> str:
    """The caller's API key (by its public prefix) when it is a live key; otherwise the calling address.

    The key is checked first: a forged key that merely starts with a real key's public prefix must not use up
    that key's allowance, so missing, unknown and revoked keys are all counted against the caller's address.
    """
    if request.path.startswith(CORAL):
        return f"coral:{(request.view_args or {}).get('site_name', '')}:ip:{get_remote_address()}"
    if "rate_key" not in g:
        token = google_api_key() if request.path.startswith(PERSPECTIVE) else bearer_token()
        prefix = key_prefix(token) if token else None
        live = prefix is not None and token is not None and key_site(token) is not None
        g.rate_key = f"key:{prefix}" if live else f"ip:{get_remote_address()}"
    return str(g.rate_key)


def _not_limited() -> bool:
    return not request.path.startswith((API, PERSPECTIVE, CORAL))


def _keep_retry_after(response: Response) -> Response:
    """Flask-Limiter sets Retry-After on every limited response to the later of the response's own value and the
    end of the rate window (up to a minute); a 503 asks for its own, shorter wait, which must stand."""
    own = g.get(RETRY_AFTER_KEY)
    if own is not None and response.status_code == 503:
        response.headers["Retry-After"] = str(own)
    return response


def init_app(app: Flask) -> Limiter:
    """RATELIMIT_DEFAULT applies to each key on the machine-facing endpoints; the queue and health checks are not
    limited."""
    # A failing limiter storage (Redis down, a race in the in-memory timer) must never cost a comment: log the
    # error and let the request through; with Redis unreachable, count in memory until it is back.
    app.after_request(_keep_retry_after)  # registered first, so it runs after the limiter's own header hook
    limiter = Limiter(key_func=rate_key, default_limits_exempt_when=_not_limited, headers_enabled=True,
                      swallow_errors=True, in_memory_fallback_enabled=True)
    limiter.init_app(app)
    budgets.init_app(app, limiter)
    return limiter
