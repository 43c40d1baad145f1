"""Field types and base schemas shared by the API's request and response shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, has_app_context
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from moderation.blank import INVISIBLE, SPACE, is_blank


class FullMatch(validate.Regexp):
    """A pattern the whole string must match, written so that JSON Schema (ECMA-262) reads it the same way: the
    OpenAPI document, which shows it as `pattern`, then states the rule the API applies."""

    def __call__(self, value: Any) -> Any:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


#: The site's own ids: letters, digits and . _ : @ - (up to 200 characters).
EXTERNAL_ID = FullMatch("^[A-Za-z0-9._:@-]{1,200}$", error="must be 1-200 letters, digits or . _ : @ - characters")
#: Text a reader wrote: at least one character a reader can see (not whitespace, not zero-width or otherwise
#: invisible: `moderation.blank`), and no NUL (see `check_storable`).
COMMENT_TEXT_PATTERN = rf"^[^\x00]*[^\x00{SPACE}{INVISIBLE}][^\x00]*$"
#: An article's address: absolute, http or https, no spaces or control characters.
ARTICLE_URL = FullMatch(r"^[Hh][Tt][Tt][Pp][Ss]?://[^\x00-\x20\x7f-\x9f/?#@]+(?:[/?#][^\x00-\x20\x7f-\x9f]*)?$",
                        error="must be an absolute http:// or https:// address without spaces")
DEFAULT_MAX_CHARS = 10_000


def check_storable(text: str) -> None:
    """A string every database can store exactly as sent: no NUL (PostgreSQL refuses it in text), no unpaired
    surrogate (not encodable as UTF-8)."""
    if "\x00" in text:
        raise ValidationError("must not contain NUL characters (U+0000)")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("must be valid Unicode (unpaired surrogate escape)") from exc


def unstorable_strings(data: Mapping[str, Any]) -> dict[Any, Any]:
    """Messages for the strings in `data`, at any depth, that `check_storable` refuses, nested by field and index.

    Iterative, so that a deeply nested (but parseable) body cannot exhaust the stack.
    """
    errors: dict[Any, Any] = {}
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            try:
                check_storable(value)
            except ValidationError as error:
                node = errors
                for key in path[:-1]:
                    node = node.setdefault(key, {})
                node[path[-1]] = error.messages
        elif isinstance(value, Mapping):
            stack.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
    return errors


class JsonBoolean(fields.Boolean):
    """A JSON `true` or `false`, nothing else: "yes", "0" or 1 are mistyped, not quietly read as a choice."""

    truthy = {True}
    falsy = {False}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class StrictSchema(Schema):
    """Refuses fields it does not know, so typos in a request are reported instead of ignored; and refuses, in
    every string field of every request, what no database can store exactly (422, never a 500 at the database)."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _storable_strings(self, data: Any, **_: Any) -> Any:
        if isinstance(data, Mapping) and (errors := unstorable_strings(data)):
            raise ValidationError(errors)
        return data


def article_url(**kwargs: Any) -> fields.String:
    return fields.String(validate=[ARTICLE_URL, validate.Length(max=2000)], **kwargs)


def id_field(**kwargs: Any) -> fields.String:
    return fields.String(validate=EXTERNAL_ID, **kwargs)


def check_comment_text(text: str) -> None:
    """Text a reader wrote: not blank, within the configured limit, and storable exactly on every database."""
    limit = int(current_app.config["MAX_COMMENT_CHARS"]) if has_app_context() else DEFAULT_MAX_CHARS
    if is_blank(text):
        raise ValidationError("must not be empty, only whitespace or only invisible characters")
    if len(text) > limit:
        raise ValidationError(f"must be at most {limit} characters (got {len(text)})")
    check_storable(text)


def comment_text(**kwargs: Any) -> fields.String:
    metadata = {"pattern": COMMENT_TEXT_PATTERN, **kwargs.pop("metadata", {})}
    return fields.String(validate=check_comment_text, metadata=metadata, **kwargs)


class NamedSchema(Schema):
    name = fields.String()
    version = fields.String()


class SpanSchema(Schema):
    start = fields.Integer(metadata={"description": "Offset of the first character (Python string index)."})
    end = fields.Integer(metadata={"description": "Offset after the last character."})
    text = fields.String()


class ClauseResultSchema(Schema):
    """A guideline clause that fired, with the evidence."""

    clause = fields.String(metadata={"description": "The policy clause's id, e.g. obscene, personal_attack, outside_links."})
    action = fields.String(metadata={"description": "publish | review | reject"})
    score = fields.Float()
    reason = fields.String(metadata={"description": "The clause's reason text, fit to show the commenter."})
    spans = fields.List(fields.Nested(SpanSchema))
    signals = fields.List(fields.String())


#: The last page anyone can ask for: keeps the row offset well inside a 64-bit integer on every database.
MAX_PAGE = 1_000_000


class PageArgsSchema(StrictSchema):
    """`page` and `per_page` of a paged list (out of range: 422, not a database overflow)."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ProblemSchema(Schema):
    """An RFC 9457 problem document (served as application/problem+json)."""

    type = fields.String(metadata={"description": "/api/v1/docs#problem-<slug>, e.g. problem-validation."})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String(metadata={"description": "The request path."})
    request_id = fields.String(metadata={"description": "The request's id (X-Request-ID), also in the logs."})
    errors = fields.Dict(metadata={"description": "Field-level messages, by location and field name."})
