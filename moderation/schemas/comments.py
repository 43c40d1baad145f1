"""Request and response shapes of the comment endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from moderation.db.enums import CommentStatus, Queue
from moderation.schemas.common import (
    ClauseResultSchema,
    NamedSchema,
    PageArgsSchema,
    StrictSchema,
    article_url,
    comment_text,
    id_field,
)


class ArticleRefSchema(StrictSchema):
    external_id = id_field(required=True)
    url = article_url(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    section = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class AuthorRefSchema(StrictSchema):
    external_id = id_field(required=True)
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CommentCreateSchema(StrictSchema):
    """A new comment, with the site's own ids."""

    external_id = id_field(required=True, metadata={"description": "The site's comment id; retries reuse it."})
    text = comment_text(required=True, metadata={"description": "Stored and returned exactly as sent."})
    article = fields.Nested(ArticleRefSchema, required=True)
    author = fields.Nested(AuthorRefSchema, required=True)
    parent_external_id = id_field(load_default=None, allow_none=True,
                                     metadata={"description": "The comment this one replies to."})


class CommentEditSchema(StrictSchema):
    text = comment_text(required=True)


class ReportCreateSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=64),
                           metadata={"description": "Why the reader reports it, e.g. abuse, spam, defamation."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    reporter_external_id = id_field(load_default=None, allow_none=True)


class TakedownSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class CommentResultSchema(Schema):
    """Where a comment stands and why."""

    id = fields.Integer(metadata={"description": "Our id for the comment."})
    external_id = fields.String()
    status = fields.String(metadata={"description": "published | pending | rejected | taken_down"})
    queue = fields.String(allow_none=True, metadata={"description": "null | review | legal | reported"})
    hidden = fields.Boolean(metadata={
        "description": "The site should not render it: true unless published, and for a published comment while "
                       "reported (when the policy hides reported comments)."})
    reason = fields.String(metadata={"description": "Why it is held or rejected (\"not scored\": model unavailable)."})
    reader_message = fields.String(allow_none=True, metadata={
        "description": "What to tell the commenter about the latest decision (a moderator's rejection: the "
                       "guideline's reader text or the moderator's own words); null when there is none."})
    revision = fields.Integer()
    language = fields.String(allow_none=True, metadata={
        "description": "Script and language: en | hi-latn (romanised Hindi) | hi-deva (Devanagari) | other | "
                       "none (no letters)."})
    clauses = fields.List(fields.Nested(ClauseResultSchema))
    scores = fields.Dict(keys=fields.String(), values=fields.Float())
    model = fields.Nested(NamedSchema, allow_none=True)
    policy = fields.Nested(NamedSchema, allow_none=True)


class AuthorSchema(Schema):
    external_id = fields.String()
    display_name = fields.String()


class DecisionSchema(Schema):
    id = fields.Integer(metadata={"description": "Increases with time: the webhook's decision.id."})
    action = fields.String()
    actor = fields.String(metadata={"description": "system | site | user:<id>"})
    reason = fields.String()
    reader_message = fields.String(allow_none=True, metadata={"description": "What the commenter is told."})
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    queue = fields.String(allow_none=True)
    policy = fields.Nested(NamedSchema, allow_none=True)
    model = fields.Nested(NamedSchema, allow_none=True)
    created_at = fields.AwareDateTime()


class CommentDetailSchema(CommentResultSchema):
    text = fields.String(metadata={"description": "Exactly as received."})
    article_external_id = fields.String()
    author = fields.Nested(AuthorSchema)
    parent_external_id = fields.String(allow_none=True)
    report_count = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    decisions = fields.List(fields.Nested(DecisionSchema))


class ArticleCommentsArgsSchema(PageArgsSchema):
    status = fields.Enum(CommentStatus, by_value=True, load_default=None,
                         metadata={"description": "published: only what the site may render (not hidden)."})


class CommentListItemSchema(Schema):
    id = fields.Integer()
    external_id = fields.String()
    text = fields.String()
    status = fields.Enum(CommentStatus, by_value=True)
    queue = fields.Enum(Queue, by_value=True, allow_none=True)
    hidden = fields.Boolean()
    author = fields.Nested(AuthorSchema)
    parent_external_id = fields.Function(lambda c: c.parent.external_id if c.parent else None)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class CommentPageSchema(Schema):
    items = fields.List(fields.Nested(CommentListItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
