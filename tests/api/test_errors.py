"""Bad input and refused requests: every error is application/problem+json with field-level messages."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_problem, comment_body


def test_missing_key_is_401_and_wrong_key_is_403(client, api_key):
    response = client.post("/api/v1/comments", json=comment_body())
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(client.get("/api/v1/comments/c1", headers={"Authorization": "Basic abc"}), 401)
    for wrong in ("mk_000000000000_nope", api_key[:-2] + "xx", "garbage"):
        assert_problem(client.get("/api/v1/comments/c1", headers={"Authorization": f"Bearer {wrong}"}), 403)


def test_malformed_json_is_400(client, auth):
    response = client.post("/api/v1/comments", data='{"external_id": "c1",', headers={
        **auth, "Content-Type": "application/json"})
    assert assert_problem(response, 400)["errors"] == {"json": ["Invalid JSON body."]}


@pytest.mark.parametrize(("change", "location"), [
    ({"text": 42}, ("text",)),
    ({"external_id": ["c1"]}, ("external_id",)),
    ({"article": "a1"}, ("article",)),
    ({"author": {"external_id": "u1"}}, ("author", "display_name")),
    ({"surprise": True}, ("surprise",)),
    ({"article": {**comment_body()["article"], "extra": 1}}, ("article", "extra")),
    ({"text": ""}, ("text",)),
    ({"text": " \n\t "}, ("text",)),
    ({"text": "x" * 10_001}, ("text",)),
    ({"text": "nul \x00 inside"}, ("text",)),
    ({"text": "lone \ud800 surrogate"}, ("text",)),
    ({"external_id": "has space"}, ("external_id",)),
    ({"external_id": "x" * 201}, ("external_id",)),
    ({"external_id": "c1\n"}, ("external_id",)),
    ({"parent_external_id": "a/b"}, ("parent_external_id",)),
])
def test_invalid_fields_are_422_naming_the_field(client, auth, change, location):
    body = {**comment_body(), **change}
    errors = assert_problem(client.post("/api/v1/comments", json=body, headers=auth), 422)["errors"]["json"]
    for key in location:
        errors = errors[key]
    assert errors


def test_missing_fields_are_listed(client, auth):
    errors = assert_problem(client.post("/api/v1/comments", json={}, headers=auth), 422)["errors"]["json"]
    assert set(errors) == {"external_id", "text", "article", "author"}


def test_text_at_the_limit_is_accepted(client, auth):
    assert client.post("/api/v1/comments", json=comment_body(text="a" * 10_000), headers=auth).status_code == 201


def test_bad_path_id_is_422(client, auth):
    body = assert_problem(client.get("/api/v1/comments/" + "x" * 201, headers=auth), 422)
    assert "id" in body["errors"]["path"]


def test_unknown_parent_is_422(client, auth):
    body = assert_problem(client.post("/api/v1/comments", json=comment_body(parent_external_id="ghost"),
                                      headers=auth), 422)
    assert "parent_external_id" in body["errors"]["json"]


def test_unknown_route_and_wrong_method_are_problems(client, auth):
    assert_problem(client.get("/api/v1/nothing-here", headers=auth), 404)
    assert_problem(client.delete("/api/v1/comments/c1", headers=auth), 405)


def test_oversized_body_is_413(client, auth):
    big = '{"texts": ["' + "a" * (9 * 1024 * 1024) + '"]}'
    response = client.post("/api/v1/score", data=big, headers={**auth, "Content-Type": "application/json"})
    assert_problem(response, 413)


def test_unknown_query_parameters_and_bad_values_are_422(client, auth):
    assert_problem(client.get("/api/v1/articles/a1/comments?colour=red", headers=auth), 422)
    assert_problem(client.get("/api/v1/articles/a1/comments?status=lost", headers=auth), 422)
    assert_problem(client.get("/api/v1/articles/a1/comments?page=0", headers=auth), 422)


def test_problems_carry_the_request_id(client, auth):
    response = client.get("/api/v1/comments/nope", headers={**auth, "X-Request-ID": "req-123"})
    assert response.headers["X-Request-ID"] == "req-123"
    assert response.get_json()["request_id"] == "req-123"
