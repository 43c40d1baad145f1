"""Request and response shapes of the article endpoints."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from moderation.schemas.common import JsonBoolean, StrictSchema, article_url


class ArticleUpdateSchema(StrictSchema):
    """Settings to change; fields left out stay as they are."""

    comments_closed = JsonBoolean(metadata={"description": "New comments are refused (409)."})
    premoderate_all = JsonBoolean(metadata={"description": "Every new comment waits for a moderator."})
    title = fields.String(validate=validate.Length(min=1, max=500))
    url = article_url()
    section = fields.String(validate=validate.Length(max=200))

    @validates_schema
    def _something(self, data: dict[str, object], **_: object) -> None:
        if not data:
            raise ValidationError("give at least one setting to change")


class ArticleSchema(Schema):
    external_id = fields.String()
    url = fields.String()
    title = fields.String()
    section = fields.String(allow_none=True)
    comments_closed = fields.Boolean()
    premoderate_all = fields.Boolean()
    updated_at = fields.AwareDateTime()
