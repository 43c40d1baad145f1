"""Response shapes of the webhook delivery log."""

from __future__ import annotations

from marshmallow import Schema, fields

from moderation.db.enums import DeliveryStatus
from moderation.schemas.common import PageArgsSchema


class DeliveryArgsSchema(PageArgsSchema):
    status = fields.Enum(DeliveryStatus, by_value=True, load_default=None)


class DeliverySchema(Schema):
    id = fields.Integer(metadata={"description": "Sent as X-Moderation-Delivery; repeats mean a retry."})
    event = fields.String()
    status = fields.Enum(DeliveryStatus, by_value=True)
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime()
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    delivered_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    body = fields.String(metadata={"description": "The exact JSON body that was signed and sent."})


class DeliveryPageSchema(Schema):
    items = fields.List(fields.Nested(DeliverySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
