"""The two Perspective methods, answering as commentanalyzer.googleapis.com/v1alpha1 does.

Errors use Google's JSON error format; the API key is a site API key, passed as `?key=` (or, as Google
client libraries also do, in the `X-Goog-Api-Key` header).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Response, jsonify, request
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import HTTPException

from moderation.auth import google_api_key, key_site
from moderation.budgets import charge_preview
from moderation.db.models import Site
from moderation.extensions import get_policy, get_scorer, get_session, scorer_timeout
from moderation.schemas.perspective import (
    AnalyzeCommentRequestSchema,
    AnalyzeCommentResponseSchema,
    SuggestCommentScoreRequestSchema,
    SuggestCommentScoreResponseSchema,
    violations,
)
from moderation.services.perspective import errors
from moderation.services.perspective.analyze import analyze_comment
from moderation.services.perspective.feedback import record_suggestion

log = logging.getLogger(__name__)

bp = Blueprint("perspective", __name__, url_prefix="/v1alpha1")

_ANALYZE_IN = AnalyzeCommentRequestSchema()
_ANALYZE_OUT = AnalyzeCommentResponseSchema()
_SUGGEST_IN = SuggestCommentScoreRequestSchema()
_SUGGEST_OUT = SuggestCommentScoreResponseSchema()


@bp.errorhandler(errors.PerspectiveError)
def perspective_error(error: errors.PerspectiveError) -> Response:
    response = jsonify(error.to_dict())
    response.status_code = error.code
    return response


def http_error(error: HTTPException) -> Response:
    """Routing, size and rate-limit errors under /v1alpha1, in Google's format (registered on the app)."""
    return perspective_error(errors.from_http(error.code or 500, str(error.description or error.name)))


def _site() -> Site:
    key = google_api_key()
    if not key:
        raise errors.missing_key()
    site = key_site(key)
    if site is None:
        raise errors.invalid_key()
    return site


def _body(schema: Schema) -> dict[str, Any]:
    try:
        payload = json.loads(request.get_data(cache=False) or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_payload([("", f"the body is not JSON ({exc})")]) from exc
    except RecursionError as exc:
        raise errors.bad_payload([("", "the body is not JSON (nested too deeply)")]) from exc
    if not isinstance(payload, dict):
        raise errors.bad_payload([])
    try:
        loaded: dict[str, Any] = schema.load(payload)
    except ValidationError as exc:
        raise errors.bad_payload(violations(exc)) from exc
    return loaded


@bp.post("/comments:analyze")
def analyze() -> Response:
    """AnalyzeComment: scores for the requested attributes."""
    site = _site()
    data = _body(_ANALYZE_IN)
    charge_preview(google_api_key() or "", len(str((data.get("comment") or {}).get("text") or "")))
    result = analyze_comment(get_session(), get_scorer(), get_policy(site.policy_name), site, data,
                             timeout_s=scorer_timeout())
    return jsonify(_ANALYZE_OUT.dump(result))


@bp.post("/comments:suggestscore")
def suggestscore() -> Response:
    """SuggestCommentScore: the site's own judgement, kept as a training example."""
    site = _site()
    data = _body(_SUGGEST_IN)
    result = record_suggestion(get_session(), site, data)
    return jsonify(_SUGGEST_OUT.dump(result))
