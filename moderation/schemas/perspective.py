"""Perspective `commentanalyzer` v1alpha1 request and response bodies.

Field names are the API's lowerCamelCase JSON names; like Google's JSON parser, the proto's snake_case
spelling (`requested_attributes`) is accepted too. Loaded data uses Python's snake_case names.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from moderation.schemas.common import JsonBoolean, unstorable_strings

SCORE_TYPES = ("SCORE_TYPE_UNSPECIFIED", "PROBABILITY", "STD_DEV_SCORE", "PERCENTILE", "RAW")
TEXT_TYPES = ("TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT", "HTML")

_CAMEL = re.compile(r"_([a-z])")
#: clientToken, sessionId, communityId: stored (and echoed) as given, in columns of 200 characters.
_TOKEN = validate.Length(max=200)


class WireSchema(Schema):
    """Refuses unknown fields (as Google does) and accepts snake_case aliases of the camelCase names; refuses
    strings no database can store exactly (NUL, unpaired surrogates), as the JSON API does."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _storable_strings(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict) and (errors := unstorable_strings(data)):
            raise ValidationError(errors)
        return data

    @pre_load
    def _camel_case_keys(self, data: Any, **_: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = {}
        for key, value in data.items():
            camel = _CAMEL.sub(lambda m: m.group(1).upper(), key) if isinstance(key, str) else key
            out[camel if camel not in data else key] = value
        return out


class TextEntrySchema(WireSchema):
    text = fields.String(load_default="")
    type = fields.String(validate=validate.OneOf(TEXT_TYPES))


class ArticleAndParentCommentSchema(WireSchema):
    article = fields.Nested(TextEntrySchema)
    parent_comment = fields.Nested(TextEntrySchema, data_key="parentComment")


class ContextSchema(WireSchema):
    entries = fields.List(fields.Nested(TextEntrySchema))
    article_and_parent_comment = fields.Nested(ArticleAndParentCommentSchema, data_key="articleAndParentComment")


class AttributeParametersSchema(WireSchema):
    score_type = fields.String(data_key="scoreType", validate=validate.OneOf(SCORE_TYPES))
    score_threshold = fields.Float(data_key="scoreThreshold", validate=validate.Range(0.0, 1.0))


class AnalyzeCommentRequestSchema(WireSchema):
    """AnalyzeCommentRequest: what `comments:analyze` accepts."""

    comment = fields.Nested(TextEntrySchema)
    requested_attributes = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(AttributeParametersSchema, allow_none=True),  # `"TOXICITY": null` means defaults
        data_key="requestedAttributes",
    )
    languages = fields.List(fields.String(), load_default=list)
    do_not_store = JsonBoolean(data_key="doNotStore", load_default=False)
    span_annotations = JsonBoolean(data_key="spanAnnotations", load_default=False)
    drop_unsupported_attributes = JsonBoolean(data_key="dropUnsupportedAttributes", load_default=False)
    client_token = fields.String(data_key="clientToken", validate=_TOKEN)
    session_id = fields.String(data_key="sessionId", validate=_TOKEN)
    community_id = fields.String(data_key="communityId", validate=_TOKEN)
    context = fields.Nested(ContextSchema)


class ScoreSchema(WireSchema):
    value = fields.Float(required=True)
    type = fields.String(validate=validate.OneOf(SCORE_TYPES), load_default="PROBABILITY")


class SpanScoreSchema(WireSchema):
    begin = fields.Integer(validate=validate.Range(min=0))
    end = fields.Integer(validate=validate.Range(min=0))
    score = fields.Nested(ScoreSchema, required=True)


class AttributeScoresSchema(WireSchema):
    summary_score = fields.Nested(ScoreSchema, data_key="summaryScore")
    span_scores = fields.List(fields.Nested(SpanScoreSchema), data_key="spanScores")


class SuggestCommentScoreRequestSchema(WireSchema):
    """SuggestCommentScoreRequest: a client's judgement of a comment, for training."""

    comment = fields.Nested(TextEntrySchema)
    attribute_scores = fields.Dict(
        keys=fields.String(), values=fields.Nested(AttributeScoresSchema), data_key="attributeScores"
    )
    languages = fields.List(fields.String(), load_default=list)
    client_token = fields.String(data_key="clientToken", validate=_TOKEN)
    session_id = fields.String(data_key="sessionId", validate=_TOKEN)
    community_id = fields.String(data_key="communityId", validate=_TOKEN)
    context = fields.Nested(ContextSchema)


class ScoreOutSchema(Schema):
    value = fields.Float()
    type = fields.String()


class SpanScoreOutSchema(Schema):
    begin = fields.Integer()
    end = fields.Integer()
    score = fields.Nested(ScoreOutSchema)


class AttributeScoresOutSchema(Schema):
    span_scores = fields.List(fields.Nested(SpanScoreOutSchema), data_key="spanScores")
    summary_score = fields.Nested(ScoreOutSchema, data_key="summaryScore")


class AnalyzeCommentResponseSchema(Schema):
    """AnalyzeCommentResponse: scores per requested attribute, the languages used and detected."""

    attribute_scores = fields.Dict(
        keys=fields.String(), values=fields.Nested(AttributeScoresOutSchema), data_key="attributeScores"
    )
    languages = fields.List(fields.String())
    detected_languages = fields.List(fields.String(), data_key="detectedLanguages")
    client_token = fields.String(data_key="clientToken")


class SuggestCommentScoreResponseSchema(Schema):
    """SuggestCommentScoreResponse: the client token echoed, and the languages seen."""

    detected_languages = fields.List(fields.String(), data_key="detectedLanguages")
    requested_languages = fields.List(fields.String(), data_key="requestedLanguages")
    client_token = fields.String(data_key="clientToken")


def violations(error: ValidationError) -> list[tuple[str, str]]:
    """Flatten marshmallow's nested messages into (field path, description) pairs."""
    out: list[tuple[str, str]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list) and all(isinstance(m, str) for m in node):
            out.extend((path, m) for m in node)
        elif isinstance(node, list):
            for item in node:
                walk(item, path)
        else:
            out.append((path, str(node)))

    walk(error.messages, "")
    return out
