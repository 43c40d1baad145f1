"""Perspective API drop-in: `comments:analyze` and `comments:suggestscore` under /v1alpha1."""

from moderation.perspective.views import bp

__all__ = ["bp"]
