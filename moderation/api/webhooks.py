"""The webhook delivery log: what was sent to the site, when, and how it went."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE

from moderation.api.parsing import ApiBlueprint
from moderation.api.problems import handle_domain_error
from moderation.auth import current_site, require_site
from moderation.errors import ModerationError
from moderation.extensions import get_session
from moderation.schemas.webhooks import DeliveryArgsSchema, DeliveryPageSchema
from moderation.services.comments.listing import Page, deliveries

bp = ApiBlueprint("webhooks", __name__, url_prefix="/api/v1", description="Webhook deliveries to the site.")
bp.before_request(require_site)
bp.register_error_handler(ModerationError, handle_domain_error)


@bp.get("/webhook-deliveries")
@bp.arguments(DeliveryArgsSchema, location="query", unknown=RAISE)
@bp.response(200, DeliveryPageSchema)
def list_deliveries(args: dict[str, Any]) -> Page[Any]:
    """The site's webhook deliveries, newest first."""
    return deliveries(get_session(), current_site(), **args)
