"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from moderation.api.problems import problem
from moderation.extensions import get_engine, get_scorer
from moderation.services.health import database_reachable, schema_current

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, Any]:
    """The process is up."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> Any:
    """Ready to serve: the database answers with the current schema, and the model is loaded."""
    engine = get_engine()
    reachable = database_reachable(engine)
    checks = {"database": reachable, "schema": reachable and schema_current(engine), "model": get_scorer().ready}
    if all(checks.values()):
        return {"status": "ready", "checks": checks}
    failing = ", ".join(name for name, ok in checks.items() if not ok)
    response = problem(503, "Service Unavailable", f"not ready: {failing}", slug="unavailable")
    response.headers["Retry-After"] = "5"
    return response
