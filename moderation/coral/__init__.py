"""Coral Talk external moderation phase: POST /coral/v1/moderate/<site>."""

from moderation.coral.views import bp

__all__ = ["bp"]
