"""Perspective API drop-in: `comments:analyze` and `comments:suggestscore` under /v1alpha1, and the discovery
document Google's client libraries build from."""

from flask import Flask

from moderation.extensions import register_error_format
from moderation.perspective import discovery
from moderation.perspective.views import bp, http_error


def init_app(app: Flask) -> None:
    """Register the methods and the discovery document, and answer every error under them as Google does."""
    app.register_blueprint(bp)
    app.register_blueprint(discovery.bp)
    register_error_format(app, f"{bp.url_prefix}/", http_error)
    register_error_format(app, "/$discovery/", http_error)


__all__ = ["bp", "init_app"]
