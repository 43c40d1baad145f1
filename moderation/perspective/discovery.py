"""Perspective's discovery document, so Google's discovery-based client libraries can be pointed at us.

Perspective's own samples build their client from `https://commentanalyzer.googleapis.com/$discovery/rest
?version=v1alpha1`; with Perspective retired that document goes too. We serve one at the same path describing
the two methods we answer, generated from the marshmallow schemas that parse and write them, with `rootUrl`
set to the host the client asked, so a client built from it calls this service.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Response, request

from moderation.perspective.views import perspective_error
from moderation.schemas.perspective import (
    AnalyzeCommentRequestSchema,
    AnalyzeCommentResponseSchema,
    SuggestCommentScoreRequestSchema,
    SuggestCommentScoreResponseSchema,
)
from moderation.services.perspective import errors

NAME, VERSION = "commentanalyzer", "v1alpha1"

bp = Blueprint("perspective_discovery", __name__)
bp.register_error_handler(errors.PerspectiveError, perspective_error)

#: Method name → (request schema, response schema, description).
_METHODS = {
    "analyze": (AnalyzeCommentRequestSchema, AnalyzeCommentResponseSchema,
                "Analyzes the provided text and returns scores for requested attributes."),
    "suggestscore": (SuggestCommentScoreRequestSchema, SuggestCommentScoreResponseSchema,
                     "Suggest comment scores as training data."),
}

#: Query parameters every method takes, as Google documents them (the client sends `key` itself).
_PARAMETERS = {
    "key": {"type": "string", "location": "query", "description": "API key: a site API key of this service."},
    "alt": {"type": "string", "location": "query", "default": "json", "enum": ["json"],
            "description": "Data format for the response."},
}


def _name(schema: type) -> str:
    return schema.__name__.removesuffix("Schema")


@cache
def _schemas() -> dict[str, Any]:
    """Discovery schemas (JSON schema with bare-name `$ref`s) from the wire schemas and all they nest."""
    spec = APISpec(title=NAME, version=VERSION, openapi_version="3.0.3", plugins=[MarshmallowPlugin()])
    for request_schema, response_schema, _ in _METHODS.values():
        for schema in (request_schema, response_schema):
            spec.components.schema(_name(schema), schema=schema)
    schemas = json.loads(json.dumps(spec.to_dict()["components"]["schemas"]).replace("#/components/schemas/", ""))
    return {name: {"id": name, **schema} for name, schema in schemas.items()}


def document(root_url: str) -> dict[str, Any]:
    """The REST description of the two methods, rooted at `root_url` (ending in "/")."""
    methods = {
        name: {
            "id": f"{NAME}.comments.{name}",
            "path": f"{VERSION}/comments:{name}",
            "flatPath": f"{VERSION}/comments:{name}",
            "httpMethod": "POST",
            "parameters": {},
            "parameterOrder": [],
            "request": {"$ref": _name(request_schema)},
            "response": {"$ref": _name(response_schema)},
            "description": description,
        }
        for name, (request_schema, response_schema, description) in _METHODS.items()
    }
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": f"{NAME}:{VERSION}",
        "name": NAME,
        "version": VERSION,
        "title": "Perspective Comment Analyzer API (served by the comment moderation service)",
        "protocol": "rest",
        "rootUrl": root_url,
        "servicePath": "",
        "baseUrl": root_url,
        "batchPath": "batch",
        "parameters": _PARAMETERS,
        "resources": {"comments": {"methods": methods}},
        "schemas": copy.deepcopy(_schemas()),
    }


@bp.get("/$discovery/rest")
def rest() -> Response:
    """GET /$discovery/rest?version=v1alpha1, as commentanalyzer.googleapis.com serves it."""
    if request.args.get("version", VERSION) != VERSION:
        raise errors.PerspectiveError(f"Discovery document not found for API service: {NAME} "
                                      f"version: {request.args['version']}", code=404, status="NOT_FOUND")
    return Response(json.dumps(document(request.host_url)), mimetype="application/json")
