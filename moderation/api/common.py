"""What every API view needs: the calling site, its policy, the scoring deadline and id checks."""

from __future__ import annotations

import logging

from flask_smorest import abort

from moderation.auth import current_site
from moderation.policy.model import Policy
from moderation.schemas.common import EXTERNAL_ID, EXTERNAL_ID_PATTERN

log = logging.getLogger(__name__)


def site_policy() -> Policy:
    """The calling site's policy (the default one, logged, if its policy file has gone)."""
    from moderation.extensions import get_policy, resources

    name = current_site().policy_name
    if name not in resources().policies:
        log.error("site %s names unknown policy %r; using the default", current_site().id, name)
        return get_policy()
    return get_policy(name)


def check_id(value: str, name: str = "id") -> str:
    """A path id must look like the site's ids do; otherwise 422 naming the path parameter."""
    if EXTERNAL_ID_PATTERN.match(value) is None:
        abort(422, messages={"path": {name: [EXTERNAL_ID.error]}})
    return value
