"""Rate limits per API key (Flask-Limiter; Redis storage when RATELIMIT_STORAGE_URI names it)."""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from moderation.auth import bearer_token
from moderation.services.sites import key_prefix


def rate_key() -> str:
    """The caller's API key (by its public prefix), or its address when it sent none."""
    token = bearer_token()
    prefix = key_prefix(token) if token else None
    return f"key:{prefix}" if prefix else f"ip:{get_remote_address()}"


def _not_api() -> bool:
    return not request.path.startswith("/api/v1/")


def init_app(app: Flask) -> Limiter:
    """RATELIMIT_DEFAULT applies to each key on the /api/v1 endpoints; the queue and health checks are not limited."""
    # A failing limiter storage (Redis down, a race in the in-memory timer) must never cost a comment: log the
    # error and let the request through; with Redis unreachable, count in memory until it is back.
    limiter = Limiter(key_func=rate_key, default_limits_exempt_when=_not_api, headers_enabled=True,
                      swallow_errors=True, in_memory_fallback_enabled=True)
    limiter.init_app(app)
    return limiter
