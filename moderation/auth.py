"""Who is calling: a site's API key on the JSON API (the queue's moderator login lives in moderation/queue/)."""

from __future__ import annotations

from flask import abort, g, request

from moderation.db.models import Site
from moderation.extensions import database, get_session


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if there is one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def google_api_key() -> str | None:
    """The API key as Google's APIs take it (and so the Perspective drop-in): `?key=`, or the `X-Goog-Api-Key`
    header that Google's client libraries send."""
    return request.args.get("key") or request.headers.get("X-Goog-Api-Key") or None


def key_site(token: str) -> Site | None:
    """The site whose live API key `token` is, looked up once per request (the rate limiter asks before the view)
    and kept for API_KEY_CACHE_S seconds across requests (see `services.key_cache`)."""
    sites: dict[str, Site | None] = g.setdefault("key_sites", {})
    if token not in sites:
        sites[token] = database().keys.site(get_session(), token)
    return sites[token]


def require_site() -> None:
    """Before each API request: 401 without a bearer key, 403 when it is not a live key of any site."""
    token = bearer_token()
    if token is None:
        abort(401, description="Send the site's API key as 'Authorization: Bearer <key>'.")
    site = key_site(token)
    if site is None:
        abort(403, description="This API key is not valid.")
    g.site = site


def current_site() -> Site:
    """The site the current API request is made for."""
    site: Site = g.site
    return site
