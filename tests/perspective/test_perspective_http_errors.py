"""Errors raised before a Perspective method runs still answer in Google's JSON error format."""

from __future__ import annotations

import pytest


def google_error(response, code: int, status: str) -> dict:
    assert response.status_code == code and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code and error["status"] == status
    return error


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/v1alpha1/comments:analyse"),  # misspelt method
    ("post", "/v1alpha1/comments"),
    ("get", "/v1alpha1/comments:analyze"),  # Google routes on method and path together
    ("put", "/v1alpha1/comments:suggestscore"),
])
def test_unknown_methods_are_googles_not_found(client, api_key, method, path) -> None:
    response = getattr(client, method)(f"{path}?key={api_key}", json={"comment": {"text": "hello"}})
    assert google_error(response, 404, "NOT_FOUND")["message"] == "Method not found."


def test_an_oversized_body_is_an_invalid_argument(client, app, api_key, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    response = client.post(f"/v1alpha1/comments:analyze?key={api_key}", json={"comment": {"text": "x" * 2048}})
    google_error(response, 400, "INVALID_ARGUMENT")


def test_coral_paths_answer_errors_in_json(client) -> None:
    response = client.get("/coral/v1/moderate/Daily Chronicle")
    assert response.status_code == 405 and set(response.get_json()) == {"error"}
    assert "POST" in response.headers["Allow"]
    assert client.post("/coral/v1/elsewhere").get_json()["error"]


def test_pages_outside_the_wire_formats_keep_their_own_errors(client) -> None:
    assert client.get("/api/v1/nowhere").mimetype == "application/problem+json"
    assert client.get("/nowhere").mimetype == "text/html"


@pytest.mark.parametrize("value", ["yes", "true", 1, None])
def test_a_flag_that_is_not_a_json_boolean_is_mistyped(client, api_key, value) -> None:
    body = {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": value}
    error = google_error(client.post(f"/v1alpha1/comments:analyze?key={api_key}", json=body), 400, "INVALID_ARGUMENT")
    assert error["details"][0]["fieldViolations"][0]["field"] == "doNotStore"


@pytest.mark.parametrize(("path", "body"), [
    ("comments:analyze", b"[" * 100_000),  # nested too deeply to parse
    ("comments:analyze", b'{"comment": {"text": "a \\ud800 b"}}'),  # an unpaired surrogate
    ("comments:analyze", b'{"comment": {"text": "a \\u0000 b"}}'),  # NUL: no database stores it in text
    ("comments:analyze", b'{"comment": {"text": "fine"}, "clientToken": "' + b"t" * 201 + b'"}'),
    ("comments:suggestscore", b'{"comment": {"text": "a \\ud800 b"}, "attributeScores": {}}'),
    ("comments:suggestscore", b'{"comment": {"text": "fine"}, "communityId": "' + b"c" * 201 + b'"}'),
])
def test_hostile_bodies_are_invalid_arguments_never_errors(client, api_key, path, body) -> None:
    response = client.post(f"/v1alpha1/{path}?key={api_key}", data=body, content_type="application/json")
    google_error(response, 400, "INVALID_ARGUMENT")


def test_span_scores_of_a_text_of_many_sentences_cover_it_in_at_most_max_spans(client, api_key) -> None:
    from moderation.services.perspective.analyze import MAX_SPANS

    text = "Fine. " * 1000
    response = client.post(f"/v1alpha1/comments:analyze?key={api_key}", json={
        "comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, "spanAnnotations": True})
    spans = response.get_json()["attributeScores"]["TOXICITY"]["spanScores"]
    assert MAX_SPANS // 2 < len(spans) <= MAX_SPANS
    assert spans[0]["begin"] == 0 and spans[-1]["end"] == len(text.rstrip())
    assert all(a["end"] < b["begin"] for a, b in zip(spans, spans[1:], strict=False))
