"""Wiring the JSON API into an app: OpenAPI, blueprints, problem responses, rate limits, request ids."""

from __future__ import annotations

from flask import Flask

from moderation.api import articles, comments, health, limits, logs, reference, score, webhooks
from moderation.api.common import ExternalIdConverter
from moderation.api.problems import ProblemApi
from moderation.schemas.articles import ArticleUpdateSchema

#: Request bodies above this are refused with 413 (100 texts of 10,000 characters fit comfortably).
MAX_BODY_BYTES = 8 * 1024 * 1024


def init_app(app: Flask) -> None:
    """Register /api/v1 (with /api/v1/openapi.json and /api/v1/docs), /healthz and /readyz."""
    app.config.setdefault("API_TITLE", "Comment moderation API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    api = ProblemApi(app, spec_kwargs={"security": [{"apiKey": []}]})
    api.spec.components.security_scheme("apiKey", {"type": "http", "scheme": "bearer"})
    app.extensions["moderation.api"] = api
    app.url_map.converters["external_id"] = ExternalIdConverter
    api.register_converter(ExternalIdConverter, lambda converter: converter.openapi_schema)
    # A rule the schema checks in code, stated in the document too: a PATCH must change something.
    api.spec.components.schema("ArticleUpdate", {"minProperties": 1}, schema=ArticleUpdateSchema)
    for module in (comments, articles, score, webhooks):
        api.register_blueprint(module.bp)
    app.register_blueprint(reference.bp)
    app.register_blueprint(health.bp)
    logs.init_app(app)
    limits.init_app(app)
