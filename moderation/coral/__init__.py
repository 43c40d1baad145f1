"""Coral Talk external moderation phase: POST /coral/v1/moderate/<site>."""

from flask import Flask

from moderation.coral.views import bp, http_error
from moderation.extensions import register_error_format


def init_app(app: Flask) -> None:
    """Register the endpoint, and answer every error under /coral/v1 in JSON."""
    app.register_blueprint(bp)
    register_error_format(app, f"{bp.url_prefix}/", http_error)


__all__ = ["bp", "init_app"]
