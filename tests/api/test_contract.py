"""The published contract: OpenAPI document, reference page, health checks, delivery log, request logs."""

from __future__ import annotations

import json
import logging

from openapi_spec_validator import validate as validate_spec

from moderation.api.logs import JsonFormatter, RequestIdFilter
from tests.api.conftest import comment_body


def test_openapi_document_describes_every_endpoint_from_the_schemas(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    assert {("post", "/api/v1/comments"), ("get", "/api/v1/comments/{external_id}"),
            ("put", "/api/v1/comments/{external_id}"), ("post", "/api/v1/comments/{external_id}/reports"),
            ("post", "/api/v1/comments/{external_id}/takedown"), ("get", "/api/v1/articles/{external_id}/comments"),
            ("patch", "/api/v1/articles/{external_id}"), ("post", "/api/v1/score"),
            ("get", "/api/v1/webhook-deliveries")} <= {(m, p) for p, item in paths.items() for m in item}
    validate_spec(spec)  # a valid OpenAPI 3 document
    create = spec["components"]["schemas"]["CommentCreate"]
    assert set(create["required"]) == {"external_id", "text", "article", "author"}
    assert create["additionalProperties"] is False
    assert spec["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    assert "errors" in spec["components"]["schemas"]["Problem"]["properties"]


def test_pages_outside_the_api_keep_flasks_own_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_reference_page_is_readable_html(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "POST" in page and "/api/v1/comments" in page and "problem-conflict" in page
    assert "<script" not in page


def test_health_and_readiness(client, app, monkeypatch):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": True, "schema": True, "model": True}

    class NotLoaded:
        ready = False

    monkeypatch.setattr(app.extensions["moderation"], "scorer", NotLoaded())
    response = client.get("/readyz")
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    assert "model" in response.get_json()["detail"]


def test_readiness_fails_on_an_unmigrated_or_unreachable_database(client, app, monkeypatch, tmp_path):
    from moderation.db.session import make_engine

    unmigrated = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setattr(app.extensions["moderation.db"], "engine", unmigrated)
    body = client.get("/readyz").get_json()
    assert body["status"] == 503 and "schema" in body["detail"]
    monkeypatch.setattr(app.extensions["moderation.db"], "engine", make_engine("sqlite:////nonexistent/dir/x.db"))
    assert "database" in client.get("/readyz").get_json()["detail"]


def test_delivery_log_lists_the_sites_webhook_deliveries(client, app, make_site):
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    make_site(name="Hooked", webhook_url="http://127.0.0.1:9/hook")
    with app.app_context():
        session = database().sessions()
        auth = {"Authorization": f"Bearer {create_api_key(session, 'Hooked')}"}
        session.close()
    client.post("/api/v1/comments", json=comment_body(), headers=auth)
    client.post("/api/v1/comments/c1/takedown", json={"reason": "legal"}, headers=auth)
    body = client.get("/api/v1/webhook-deliveries", headers=auth).get_json()
    assert body["total"] == 2
    newest = body["items"][0]
    assert (newest["event"], newest["status"], newest["attempts"]) == ("comment.status_changed", "pending", 0)
    assert json.loads(newest["body"])["comment"]["status"] == "taken_down"
    assert client.get("/api/v1/webhook-deliveries?status=delivered", headers=auth).get_json()["total"] == 0


def test_json_log_lines_carry_the_request_id(client, auth, caplog):
    caplog.set_level(logging.INFO, logger="moderation.requests")
    client.get("/api/v1/comments/nope", headers={**auth, "X-Request-ID": "trace-42"})
    handler_records = [r for r in caplog.records if r.name == "moderation.requests"]
    assert handler_records
    record = handler_records[-1]
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["status"] == 404 and line["path"] == "/api/v1/comments/nope" and line["method"] == "GET"
    assert line["request_id"] == "trace-42" and line["time"].endswith("Z")


def test_openapi_documents_the_problems_as_they_are_served(client, auth):
    spec = client.get("/api/v1/openapi.json").get_json()
    problem = spec["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "instance", "request_id", "errors"} <= set(problem)
    responses = spec["components"]["responses"]
    for name in ("BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "UNSUPPORTED_MEDIA_TYPE",
                 "UNPROCESSABLE_ENTITY", "TOO_MANY_REQUESTS", "SERVICE_UNAVAILABLE", "DEFAULT_ERROR"):
        assert list(responses[name]["content"]) == ["application/problem+json"], name
    operations = {(m, p): op["responses"] for p, item in spec["paths"].items() for m, op in item.items()
                  if isinstance(op, dict) and "responses" in op}
    for (method, path), documented in operations.items():
        assert {"401", "403", "422", "429"} <= set(documented), (method, path)
        if method in ("post", "put", "patch"):
            assert {"400", "413", "415"} <= set(documented), (method, path)
    assert "409" in operations["post", "/api/v1/comments"] and "409" in operations["put", "/api/v1/comments/{external_id}"]
    assert "404" in operations["get", "/api/v1/comments/{external_id}"]
    assert "503" in operations["post", "/api/v1/score"]
    served = client.get("/api/v1/comments/nope", headers=auth)
    assert served.mimetype == "application/problem+json"
    assert set(served.get_json()) <= set(problem)


def test_a_request_id_with_a_line_break_is_replaced_not_echoed(client, auth):
    response = client.get("/api/v1/comments/nope", headers=auth, environ_overrides={"HTTP_X_REQUEST_ID": "trace-42\n"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] != "trace-42" and len(response.headers["X-Request-ID"]) == 32
