"""Errors of the website-facing use cases; the API maps each to a problem response."""

from __future__ import annotations

from moderation.errors import ModerationError


class NotFoundError(ModerationError):
    """The site has no such comment or article."""


class ConflictError(ModerationError):
    """The request contradicts what is stored (a retry with different content, a closed article, a finished state)."""


class InvalidRequestError(ModerationError):
    """The request is well-formed but cannot be accepted; `field` names the offending field."""

    def __init__(self, message: str, field: str = "_schema") -> None:
        super().__init__(message)
        self.field = field
