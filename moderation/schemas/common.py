"""Field types and base schemas shared by the API's request and response shapes."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, has_app_context
from marshmallow import RAISE, Schema, ValidationError, fields, validate

#: The site's own ids: letters, digits and . _ : @ - (up to 200 characters).
EXTERNAL_ID_PATTERN = re.compile(r"\A[A-Za-z0-9._:@\-]{1,200}\Z")
EXTERNAL_ID = validate.Regexp(EXTERNAL_ID_PATTERN, error="must be 1-200 letters, digits or . _ : @ - characters")
DEFAULT_MAX_CHARS = 10_000


class StrictSchema(Schema):
    """Refuses fields it does not know, so typos in a request are reported instead of ignored."""

    class Meta:
        unknown = RAISE


def id_field(**kwargs: Any) -> fields.String:
    return fields.String(validate=EXTERNAL_ID, **kwargs)


def check_comment_text(text: str) -> None:
    """Text a reader wrote: not blank, within the configured limit, and storable exactly on every database."""
    limit = int(current_app.config["MAX_COMMENT_CHARS"]) if has_app_context() else DEFAULT_MAX_CHARS
    if not text.strip():
        raise ValidationError("must not be empty or only whitespace")
    if len(text) > limit:
        raise ValidationError(f"must be at most {limit} characters (got {len(text)})")
    if "\x00" in text:
        raise ValidationError("must not contain NUL characters (U+0000)")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("must be valid Unicode (unpaired surrogate escape)") from exc


def comment_text(**kwargs: Any) -> fields.String:
    return fields.String(validate=check_comment_text, **kwargs)


class NamedSchema(Schema):
    name = fields.String()
    version = fields.String()


class SpanSchema(Schema):
    start = fields.Integer(metadata={"description": "Offset of the first character (Python string index)."})
    end = fields.Integer(metadata={"description": "Offset after the last character."})
    text = fields.String()


class ClauseResultSchema(Schema):
    """A guideline clause that fired, with the evidence."""

    clause = fields.String(metadata={"description": "obscene|defamatory|inflammatory|personal_attack|outside_links"})
    action = fields.String(metadata={"description": "publish | review | reject"})
    score = fields.Float()
    reason = fields.String(metadata={"description": "The clause's reason text, fit to show the commenter."})
    spans = fields.List(fields.Nested(SpanSchema))
    signals = fields.List(fields.String())


class PageArgsSchema(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ProblemSchema(Schema):
    """An RFC 9457 problem document."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(metadata={"description": "Field-level messages, by location and field name."})
