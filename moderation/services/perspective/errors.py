"""Errors answered in Google's JSON error format, with the codes and messages Perspective uses.

`{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT", "details": [...]}}`; client code
written against Perspective matches on these messages (e.g. "does not support request languages").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from moderation.errors import ModerationError

SERVICE = "commentanalyzer.googleapis.com"


class PerspectiveError(ModerationError):
    """A request Perspective would refuse, carrying the HTTP code, canonical status and details."""

    def __init__(
        self, message: str, *, code: int = 400, status: str = "INVALID_ARGUMENT", details: Sequence[dict[str, Any]] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details = list(details)

    def to_dict(self) -> dict[str, Any]:
        """The error body exactly as Google APIs send it."""
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def missing_key() -> PerspectiveError:
    return PerspectiveError("The request is missing a valid API key.", code=403, status="PERMISSION_DENIED")


def invalid_key() -> PerspectiveError:
    return PerspectiveError(
        "API key not valid. Please pass a valid API key.",
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "API_KEY_INVALID",
                "domain": "googleapis.com",
                "metadata": {"service": SERVICE},
            }
        ],
    )


def bad_payload(violations: Sequence[tuple[str, str]]) -> PerspectiveError:
    """A body that is not JSON, or has unknown or mistyped fields."""
    first = violations[0] if violations else ("", "request body is not a JSON object")
    return PerspectiveError(
        f"Invalid JSON payload received. {first[0] + ': ' if first[0] else ''}{first[1]}",
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": f, "description": d} for f, d in violations] or [
                    {"description": first[1]}
                ],
            }
        ],
    )


def invalid_argument(message: str) -> PerspectiveError:
    return PerspectiveError(message)


def unknown_attribute(name: str) -> PerspectiveError:
    return PerspectiveError(f"Unknown requested attribute: {name}")


def language_not_supported(attribute: str, languages: Sequence[str], detected: Sequence[str]) -> PerspectiveError:
    return PerspectiveError(
        f"Attribute {attribute} does not support request languages: {','.join(languages)}",
        details=[
            {
                "@type": "type.googleapis.com/google.commentanalyzer.v1alpha1.Error",
                "errorType": "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
                "languageNotSupportedByAttributeError": {"detectedLanguages": list(detected), "attribute": attribute},
            }
        ],
    )


def unavailable() -> PerspectiveError:
    return PerspectiveError("The service is currently unavailable.", code=503, status="UNAVAILABLE")


#: Google's canonical status for each HTTP code it answers with.
_STATUSES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
             409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}


def from_http(code: int, description: str) -> PerspectiveError:
    """An HTTP error raised before our methods ran (routing, body size, rate limit), in Google's words.

    Google routes on method and path together, so a wrong method on a known path is "Method not found." too;
    codes Google never sends are folded into the nearest one it does."""
    if code in (404, 405):
        return PerspectiveError("Method not found.", code=404, status="NOT_FOUND")
    if code == 429:
        return PerspectiveError(f"Quota exceeded for quota metric 'Analysis requests' ({description}).",
                                code=429, status="RESOURCE_EXHAUSTED")
    if code not in _STATUSES:
        code = 400 if code < 500 else 500
    return PerspectiveError(description, code=code, status=_STATUSES[code])
