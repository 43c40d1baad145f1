"""Bad input and refused requests: every error is application/problem+json with field-level messages."""

from __future__ import annotations

import json

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
    assert "external_id" in body["errors"]["path"]


def test_unknown_parent_is_422(client, auth):
    body = assert_problem(client.post("/api/v1/comments", json=comment_body(parent_external_id="ghost"),
                                      headers=auth), 422)
    assert "parent_external_id" in body["errors"]["json"]


def test_unknown_route_and_wrong_method_are_problems(client, auth):
    assert_problem(client.get("/api/v1/nothing-here", headers=auth), 404)
    wrong = client.delete("/api/v1/comments/c1", headers=auth)
    assert_problem(wrong, 405)
    assert set(wrong.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT"}  # RFC 9110: what would do


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


@pytest.mark.parametrize("bad", ["nul \x00 inside", "lone \ud800 surrogate"])
@pytest.mark.parametrize(("method", "path", "body", "location"), [
    ("post", "/api/v1/comments", lambda v: comment_body(author={"external_id": "u1", "display_name": v}),
     ("author", "display_name")),
    ("post", "/api/v1/comments", lambda v: comment_body(article={**comment_body()["article"], "title": v}),
     ("article", "title")),
    ("post", "/api/v1/comments", lambda v: comment_body(article={**comment_body()["article"], "section": v}),
     ("article", "section")),
    ("post", "/api/v1/comments/c0/reports", lambda v: {"reason": v}, ("reason",)),
    ("post", "/api/v1/comments/c0/reports", lambda v: {"reason": "abuse", "note": v}, ("note",)),
    ("post", "/api/v1/comments/c0/takedown", lambda v: {"reason": v}, ("reason",)),
    ("post", "/api/v1/comments/c0/takedown", lambda v: {"reason": "legal", "note": v}, ("note",)),
    ("patch", "/api/v1/articles/a1", lambda v: {"title": v}, ("title",)),
    ("patch", "/api/v1/articles/a1", lambda v: {"section": v}, ("section",)),
    ("post", "/api/v1/score", lambda v: {"texts": ["fine", v]}, ("texts", "1")),
])
def test_nul_and_lone_surrogates_in_any_string_field_are_422(client, auth, method, path, body, location, bad):
    client.post("/api/v1/comments", json=comment_body("c0"), headers=auth)
    response = getattr(client, method)(path, json=body(bad), headers=auth)
    errors = assert_problem(response, 422)["errors"]["json"]
    for key in location:
        errors = errors[key]
    assert "NUL" in errors[0] or "surrogate" in errors[0]
    stored = client.get("/api/v1/comments/c0", headers=auth).get_json()
    assert (stored["status"], stored["report_count"], stored["revision"]) == ("published", 0, 1)


def test_reply_to_a_comment_on_another_article_is_422(client, auth):
    client.post("/api/v1/comments", json=comment_body("p1"), headers=auth)
    other = {"external_id": "a2", "url": "https://dailychronicle.in/sport/a2", "title": "Test match"}
    body = assert_problem(client.post("/api/v1/comments", json=comment_body(
        "r1", article=other, parent_external_id="p1"), headers=auth), 422)
    assert "another article" in body["errors"]["json"]["parent_external_id"][0]
    assert_problem(client.get("/api/v1/comments/r1", headers=auth), 404)
    assert client.post("/api/v1/comments", json=comment_body("r2", parent_external_id="p1"),
                       headers=auth).status_code == 201


@pytest.mark.parametrize("path", ["/api/v1/articles/a1/comments", "/api/v1/webhook-deliveries"])
@pytest.mark.parametrize("query", ["page=1000000000000000000", "page=1000001", "per_page=201",
                                   "per_page=100000000000000000000"])
def test_page_and_per_page_out_of_range_are_422(client, auth, path, query):
    client.post("/api/v1/comments", json=comment_body(), headers=auth)
    errors = assert_problem(client.get(f"{path}?{query}", headers=auth), 422)["errors"]["query"]
    assert set(errors) == {query.partition("=")[0]}
    assert client.get(f"{path}?page=1000000", headers=auth).status_code == 200


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000])
def test_deeply_nested_json_is_400_malformed(client, auth, body):
    response = client.post("/api/v1/comments", data=body, headers={**auth, "Content-Type": "application/json"})
    assert assert_problem(response, 400)["type"].endswith("#problem-malformed")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_sent_as_json_is_415(client, auth, content_type):
    headers = {**auth, **({"Content-Type": content_type} if content_type else {})}
    response = client.post("/api/v1/comments", data=json.dumps(comment_body()), headers=headers)
    body = assert_problem(response, 415)
    assert body["type"].endswith("#problem-unsupported-media-type") and "application/json" in body["detail"]
    assert_problem(client.get("/api/v1/comments/c1", headers=auth), 404)
    response = client.put("/api/v1/comments/c1", data="text=hi", headers={
        **auth, "Content-Type": "application/x-www-form-urlencoded"})
    assert_problem(response, 415)


def test_json_with_a_charset_or_a_json_suffix_is_accepted(client, auth):
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.post("/api/v1/comments", data=json.dumps(comment_body()), headers={
            **auth, "Content-Type": content_type})
        assert response.status_code in (200, 201), response.get_data(as_text=True)


#: Integers past Python's conversion limit (4,300 digits), in the places a request may carry a number.
HUGE = "9" * 5_000
HUGE_BODIES = [f'{{"external_id": {HUGE}}}', f"[{HUGE}]", f"-{HUGE}", f'{{"text": "x", "n": [{{"m": {HUGE}}}]}}']


@pytest.mark.parametrize("body", HUGE_BODIES)
@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/api/v1/comments"), ("PUT", "/api/v1/comments/c1"), ("POST", "/api/v1/comments/c1/reports"),
    ("POST", "/api/v1/comments/c1/takedown"), ("PATCH", "/api/v1/articles/a1"), ("POST", "/api/v1/score"),
])
def test_an_integer_too_long_to_convert_is_400_malformed_on_every_route(client, auth, method, path, body):
    response = client.open(path, method=method, data=body, headers={**auth, "Content-Type": "application/json"})
    assert assert_problem(response, 400)["errors"] == {"json": ["Invalid JSON body."]}


def test_every_json_route_of_the_app_is_covered_by_the_huge_integer_test(app):
    """A new route with a body must join the list above (and so be proved to answer 400, not 500)."""
    covered = {"/api/v1/comments", "/api/v1/comments/<external_id:external_id>",
               "/api/v1/comments/<external_id:external_id>/reports",
               "/api/v1/comments/<external_id:external_id>/takedown",
               "/api/v1/articles/<external_id:external_id>", "/api/v1/score"}
    with_body = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
                 and {"POST", "PUT", "PATCH"} & set(rule.methods or ())}
    assert with_body == covered


@pytest.mark.parametrize("text", ["\u200b", "\u200b\u200c\u200d\u2060\ufeff", " \u200e\u200f\n", "\u3164\u2800",
                                  "\u00ad\u034f\ufe0f", "\U000e0041\U000e0042", "\x07\x1b"])
def test_a_comment_of_invisible_characters_only_is_422_like_an_empty_one(client, auth, text):
    created = client.post("/api/v1/comments", json=comment_body(text=text), headers=auth)
    assert "invisible" in assert_problem(created, 422)["errors"]["json"]["text"][0]
    preview = client.post("/api/v1/score", json={"texts": ["fine", text]}, headers=auth)
    assert assert_problem(preview, 422)["errors"]["json"]["texts"]["1"]
    assert assert_problem(client.get("/api/v1/comments/c1", headers=auth), 404)


@pytest.mark.parametrize("text", ["\u200bok", "a\u200d", "\u0301", "\u0600", "\U0001f600"])
def test_a_comment_with_one_visible_character_among_invisible_ones_is_accepted(client, auth, text):
    assert client.post("/api/v1/comments", json=comment_body(text=text), headers=auth).status_code == 201
