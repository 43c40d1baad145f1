"""Request and response shapes of the preview scoring endpoint."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from moderation.schemas.common import ClauseResultSchema, NamedSchema, StrictSchema, comment_text


class ScoreRequestSchema(StrictSchema):
    texts = fields.List(comment_text(), required=True, validate=validate.Length(min=1, max=100),
                        metadata={"description": "1 to 100 texts; nothing is stored."})


class OutcomeSchema(Schema):
    action = fields.String(metadata={"description": "publish | review | reject"})
    lane = fields.String(allow_none=True, metadata={"description": "review | legal for held texts"})
    clauses = fields.List(fields.Nested(ClauseResultSchema))
    scores = fields.Dict(keys=fields.String(), values=fields.Float())
    language = fields.String()
    holds = fields.List(fields.String())
    model = fields.Nested(NamedSchema)
    policy = fields.Nested(NamedSchema)


class ScoreResponseSchema(Schema):
    results = fields.List(fields.Nested(OutcomeSchema))
