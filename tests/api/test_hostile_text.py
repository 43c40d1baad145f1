"""Hostile text is stored and returned exactly as sent (or refused with a clear error)."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_problem, comment_body

HOSTILE = {
    "script": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "sql": "'; DROP TABLE comments; -- \" OR 1=1 /*",
    "rtl_override": "harmless \u202egnp.exe\u202c text \u2067isolate\u2069",
    "zero_width": "ch\u200butiya hidden\u200d\u2060\ufeff joiners",
    "emoji": "🙏🏽 शानदार लेख! 🇮🇳 👨‍👩‍👧‍👦 family 😡",
    "devanagari_hinglish": "यह लेख बहुत अच्छा है, bhai ekdum sahi likha hai",
    "control_and_newlines": "line one\r\nline two\ttab\x07bell\x1b[31mred\u0085",
    "combining": "Z\u0351\u0364a\u0368l\u0344g\u0310o",
    "max_length_mixed": ("नमस्ते 🙏 " * 1250)[:10_000],
    "backslashes_and_json": '{"status": "published"} \\u0000 \\n \\\\',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_round_trips_exactly(client, auth, name):
    text = HOSTILE[name]
    response = client.post("/api/v1/comments", json=comment_body(f"h-{name}", text), headers=auth)
    assert response.status_code == 201, response.get_data(as_text=True)
    stored = client.get(f"/api/v1/comments/h-{name}", headers=auth).get_json()["text"]
    assert stored == text
    assert stored.encode("utf-8") == text.encode("utf-8")
    listed = client.get("/api/v1/articles/a1/comments", headers=auth).get_json()["items"]
    assert [c["text"] for c in listed] == [text]


def test_ten_thousand_characters_round_trip(client, auth):
    text = "".join(chr(0x0900 + (i % 0x7F)) if i % 3 else "x" for i in range(10_000))
    assert len(text) == 10_000
    assert client.post("/api/v1/comments", json=comment_body("long", text), headers=auth).status_code == 201
    assert client.get("/api/v1/comments/long", headers=auth).get_json()["text"] == text


@pytest.mark.parametrize("text", ["before\x00after", "\x00"])
def test_nul_bytes_are_refused_with_a_clear_error_on_every_database(client, auth, text):
    body = assert_problem(client.post("/api/v1/comments", json=comment_body(text=text), headers=auth), 422)
    assert "NUL" in body["errors"]["json"]["text"][0]
    assert_problem(client.get("/api/v1/comments/c1", headers=auth), 404)


def test_edit_with_hostile_text_round_trips(client, auth):
    client.post("/api/v1/comments", json=comment_body(), headers=auth)
    text = HOSTILE["rtl_override"] + HOSTILE["emoji"]
    assert client.put("/api/v1/comments/c1", json={"text": text}, headers=auth).status_code == 200
    assert client.get("/api/v1/comments/c1", headers=auth).get_json()["text"] == text
