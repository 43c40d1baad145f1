"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from moderation.api.problems import problem
from moderation.extensions import get_engine, get_scorer
from moderation.services.health import database_reachable, schema_current
from moderation.shedding import saturation

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, Any]:
    """The process is up."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> Any:
    """Ready to serve: the database answers with the current schema, and the model is loaded; `load` says how long
    requests wait for a thread and whether they are being shed (saturation does not make the worker unready: a
    replica taken out of rotation would push its load onto the others)."""
    engine = get_engine()
    reachable = database_reachable(engine)
    checks = {"database": reachable, "schema": reachable and schema_current(engine), "model": get_scorer().ready}
    if all(checks.values()):
        return {"status": "ready", "checks": checks, "load": saturation().report()}
    failing = ", ".join(name for name, ok in checks.items() if not ok)
    response = problem(503, "Service Unavailable", f"not ready: {failing}", slug="unavailable")
    response.headers["Retry-After"] = "5"
    return response
