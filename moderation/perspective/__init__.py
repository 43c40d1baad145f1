"""Perspective API drop-in: `comments:analyze` and `comments:suggestscore` under /v1alpha1."""

from flask import Flask

from moderation.extensions import register_error_format
from moderation.perspective.views import bp, http_error


def init_app(app: Flask) -> None:
    """Register the methods, and answer every error under /v1alpha1 as Google does."""
    app.register_blueprint(bp)
    register_error_format(app, f"{bp.url_prefix}/", http_error)


__all__ = ["bp", "init_app"]
