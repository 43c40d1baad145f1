"""The endpoint a Coral Talk external moderation phase calls for each new or edited comment.

Coral signs the raw body; we verify it before reading it. Answers: 200 with Coral's response JSON,
204 when we have no opinion, 401 for a bad signature, 400 for a body that is not Coral's shape,
404 for an unknown site. Coral treats anything but a 200 with a body as "no opinion" and carries on.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from moderation.extensions import get_policy, get_scorer, get_session
from moderation.schemas.coral import ExternalModerationRequestSchema, ExternalModerationResponseSchema
from moderation.services.coral import moderate as coral
from moderation.services.coral.signature import HEADER
from moderation.services.errors import NotFoundError
from moderation.services.sites import site_by_name

log = logging.getLogger(__name__)

bp = Blueprint("coral", __name__, url_prefix="/coral/v1")

_REQUEST = ExternalModerationRequestSchema()
_RESPONSE = ExternalModerationResponseSchema()


def _error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def http_error(error: HTTPException) -> Response:
    """Routing, size and rate-limit errors under /coral, as JSON like our other answers to Coral."""
    return _error(error.code or 500, str(error.description or error.name))


@bp.post("/moderate/<site_name>")
def moderate(site_name: str) -> Response:
    """Coral's ExternalModerationRequest in, ExternalModerationResponse (or 204, no opinion) out."""
    session = get_session()
    try:
        site = site_by_name(session, site_name)
    except NotFoundError:  # answered like a bad signature, so site names cannot be probed; the log says which
        log.warning("Coral request for an unknown site %r", site_name)
        return _error(401, "invalid signature")
    body = request.get_data(cache=False)
    if not coral.is_signed(session, site, body, request.headers.get(HEADER)):
        log.warning("Coral request for site %s with a missing or invalid signature", site.name)
        return _error(401, "invalid signature")
    try:
        data = _REQUEST.load(json.loads(body))
    except (ValueError, ValidationError) as exc:
        return _error(400, f"not a Coral external moderation request: {exc}")
    except RecursionError:
        return _error(400, "not a Coral external moderation request: nested too deeply")
    budget = current_app.config["CORAL_BUDGET_MS"]
    answer = coral.moderate(get_scorer(), get_policy(site.policy_name), site, data, budget_ms=budget)
    if answer is None:
        return Response(status=204)
    return jsonify(_RESPONSE.dump(answer))
