"""Every API error as an RFC 9457 problem document (application/problem+json), with field-level messages."""

from __future__ import annotations

import http
from typing import Any

from flask import Response, g, json, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import fields
from werkzeug.exceptions import HTTPException

from moderation.errors import ModerationError, ScoringError
from moderation.extensions import render_in_registered_format
from moderation.schemas.common import ProblemSchema, StrictSchema
from moderation.services.errors import ConflictError, InvalidRequestError, NotFoundError

PROBLEM_TYPES = "/api/v1/docs#problem-"
PROBLEM_JSON = "application/problem+json"
API_PREFIXES = ("/api/", "/healthz", "/readyz")

#: Domain errors: HTTP status, problem type slug, title.
DOMAIN_ERRORS: dict[type[ModerationError], tuple[int, str, str]] = {
    NotFoundError: (404, "not-found", "Not found"),
    ConflictError: (409, "conflict", "Conflict"),
    InvalidRequestError: (422, "invalid-request", "Invalid request"),
    ScoringError: (503, "scoring-unavailable", "Scoring unavailable"),
}


def problem(status: int, title: str, detail: str = "", *, slug: str | None = None,
            errors: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPES}{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    if "request_id" in g:
        body["request_id"] = g.request_id
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(headers or {})
    return response


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIXES)


class ProblemApi(Api):
    """flask-smorest's Api, answering HTTP errors on API paths with problem documents (others keep Flask's pages)."""

    ERROR_SCHEMA = ProblemSchema  # documented error responses

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(_storable)

    def _register_responses(self) -> None:
        """The components/responses that operations refer to, one per status code: errors documented as they are
        served, application/problem+json (flask-smorest would say application/json)."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Any other error", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Any:
        if not is_api_request():
            return render_in_registered_format(request.path, error) or error
        data = getattr(error, "data", {}) or {}
        code = error.code or 500
        errors = data.get("messages") or data.get("errors")
        detail = _detail(code, error, errors)
        headers = dict(data.get("headers") or {})
        if code == 401:
            headers.setdefault("WWW-Authenticate", 'Bearer realm="moderation"')
        if code == 429:
            headers.update(_retry_after(error))
        if code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        return problem(code, error.name, detail, slug=_SLUGS.get(code), errors=errors, headers=headers)


def _storable(_converter: Any, field: fields.Field, ret: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Request strings with a NUL in them are refused (`StrictSchema`): say so in the document, where a field's own
    pattern does not already."""
    if isinstance(field, fields.String) and "pattern" not in ret and isinstance(field.root, StrictSchema):
        return {"pattern": "^[^\\x00]*$"}
    return {}


_SLUGS = {400: "malformed", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed", 408: "request-timeout",
          409: "conflict", 413: "too-large", 415: "unsupported-media-type", 422: "validation", 429: "rate-limited",
          500: "internal", 503: "unavailable"}


def _detail(code: int, error: HTTPException, errors: Any) -> str:
    if code == 422 and errors:
        return "Some fields are invalid; see errors."
    if code == 400 and errors:
        return "The request body is not valid JSON."
    if code == 429:
        return f"Rate limit exceeded ({error.description}); slow down and retry later."
    if code == 500:
        return "An unexpected error occurred; it has been logged."
    return str(error.description or "")


def _retry_after(error: HTTPException) -> dict[str, str]:
    response = error.get_response()
    value = response.headers.get("Retry-After")
    return {"Retry-After": value} if value else {}


def handle_domain_error(error: ModerationError) -> Response:
    """Map a service's domain error to its problem response."""
    for cls, (status, slug, title) in DOMAIN_ERRORS.items():
        if isinstance(error, cls):
            errors = None
            if isinstance(error, InvalidRequestError):
                errors = {"json": {error.field: [str(error)]}}
            return problem(status, title, str(error), slug=slug, errors=errors)
    return problem(500, "Internal Server Error", "An unexpected error occurred.", slug="internal")
