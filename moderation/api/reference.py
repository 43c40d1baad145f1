"""The readable API reference: the OpenAPI document rendered as one HTML page (no scripts, works offline)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_reference", __name__, url_prefix="/api/v1", template_folder="templates")

_METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/docs")
def reference() -> str:
    """Every endpoint with its parameters, request and response schemas, and the problem types."""
    spec = current_app.extensions["moderation.api"].spec.to_dict()
    components = spec.get("components", {})
    operations = [
        {"method": method.upper(), "path": path, **op,
         "parameters": [*item.get("parameters", []), *op.get("parameters", [])],
         "responses": {code: _resolve(components, resp) for code, resp in op.get("responses", {}).items()}}
        for path, item in spec.get("paths", {}).items()
        for method, op in item.items() if method in _METHODS
    ]
    schemas = components.get("schemas", {})
    return render_template("api_reference.html", spec=spec, operations=operations, schemas=schemas,
                           ref_name=_ref_name)


def _resolve(components: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """A response object, with a reference to components/responses followed."""
    ref = response.get("$ref")
    if not ref:
        return response
    resolved: dict[str, Any] = components.get("responses", {}).get(str(ref).rsplit("/", 1)[-1], {})
    return resolved


def _ref_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"array of {_ref_name(schema.get('items'))}"
    return str(schema.get("type", ""))
