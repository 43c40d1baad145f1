"""The website's JSON API (/api/v1): comments, articles, preview scoring, webhook log, health checks."""

from moderation.api.setup import init_app

__all__ = ["init_app"]
