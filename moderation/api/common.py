"""What every API view needs: the calling site, its policy, the scoring deadline and id checks."""

from __future__ import annotations

import logging

from flask_smorest import abort
from marshmallow import ValidationError
from werkzeug.routing import BaseConverter

from moderation.auth import current_site
from moderation.policy.model import Policy
from moderation.schemas.common import EXTERNAL_ID

log = logging.getLogger(__name__)


def site_policy() -> Policy:
    """The calling site's policy (the default one, logged, if its policy file has gone)."""
    from moderation.extensions import get_policy, resources

    name = current_site().policy_name
    if name not in resources().policies:
        log.error("site %s names unknown policy %r; using the default", current_site().id, name)
        return get_policy()
    return get_policy(name)


class ExternalIdConverter(BaseConverter):
    """`<external_id:...>` in a route: a site's id. Matches any path segment, so that a malformed id is answered
    by `check_id` (422 naming it) rather than 404; the OpenAPI document gives the pattern ids follow."""

    openapi_schema = {"type": "string", "pattern": EXTERNAL_ID.regex.pattern}


def check_id(value: str, name: str = "external_id") -> str:
    """A path id must look like the site's ids do; otherwise 422 naming the path parameter."""
    try:
        return str(EXTERNAL_ID(value))
    except ValidationError as error:
        abort(422, messages={"path": {name: error.messages}})
