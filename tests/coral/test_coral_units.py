"""Coral's signature scheme, request shape and our verdict mapping, without the app."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from marshmallow import ValidationError

from moderation.detectors.base import Span
from moderation.enums import Action, ClauseKind, CoralCategory, Lane
from moderation.policy.model import Clause, ClauseResult, LabelSignal, Named, Outcome, Policy
from moderation.schemas.coral import ExternalModerationRequestSchema, ExternalModerationResponseSchema
from moderation.services.coral.moderate import comment_text, verdict
from moderation.services.coral.signature import header_value, signatures, verify

# Coral serialises the request with JSON.stringify(request, null, 2) and signs exactly those bytes.
REQUEST = {
    "action": "NEW",
    "comment": {"body": "<p>Here's a comment!</p>", "parentID": None},
    "author": {"id": "baf4e943-3594-4fcc-b2ba-3e8de7a76352", "role": "COMMENTER"},
    "story": {"id": "245b3856-b0a0-4d2f-a6bb-58c71f18d6a6", "url": "http://localhost:1313/posts/a-story-url/"},
    "site": {"id": "a4bede88-2d2c-4424-bc18-4322a9e285a6"},
    "tenantID": "19ba5794-7eeb-4d46-a81b-c00c61672501",
    "tenantDomain": "localhost",
}
BODY = json.dumps(REQUEST, indent=2).encode()


def test_signature_is_hmac_sha256_of_the_raw_body() -> None:
    expected = hmac.new(b"ssc_secret", BODY, hashlib.sha256).hexdigest()
    assert header_value(["ssc_secret"], BODY) == f"sha256={expected}"
    assert verify(["ssc_secret"], BODY, f"sha256={expected}")


def test_any_of_several_signatures_may_match_while_secrets_rotate() -> None:
    header = header_value(["old", "new"], BODY)
    assert signatures(header) == [s.split("=")[1] for s in header.split(",")]
    assert verify(["new"], BODY, header)
    assert not verify(["other"], BODY, header)
    assert not verify(["new"], BODY + b" ", header)
    assert not verify(["new"], BODY, None)
    assert not verify(["new"], BODY, "md5=abc")


def test_request_schema_reads_both_coral_generations() -> None:
    schema = ExternalModerationRequestSchema()
    loaded = schema.load(REQUEST)
    assert loaded["comment"]["parent_id"] is None and loaded["tenant_domain"] == "localhost"
    older = {k: v for k, v in REQUEST.items() if not k.startswith("tenant")} | {"tenant": {"id": "t", "domain": "d"}}
    assert schema.load(older)["tenant"]["domain"] == "d"
    with pytest.raises(ValidationError):
        schema.load({**REQUEST, "action": "DELETE"})
    with pytest.raises(ValidationError):
        schema.load({k: v for k, v in REQUEST.items() if k != "comment"})


def test_comment_text_reads_html_and_plain_bodies() -> None:
    assert comment_text("<p>Hello &amp; bye</p><p>Two</p>") == "Hello & bye\nTwo"
    assert comment_text("  plain I <3 it ") == "plain I <3 it"
    assert comment_text('<p>See <a href="https://x.in/a" target="_blank" rel="noopener">this</a><br/></p>') == "See https://x.in/a this"


@pytest.mark.parametrize("body", [
    "You are an <idiot and a moron, fuck you>",  # a plain-text phase: brackets the reader typed
    "<script> You are an idiot </script>",
    "<b you fucking idiot>",  # an editor tag's name, but not a tag the editor writes
])
def test_plain_text_in_angle_brackets_is_read_as_written(body) -> None:
    assert comment_text(body) == body.strip()


POLICY = Policy(
    name="t", version="1", description="",
    clauses=(
        Clause("personal_attack", "No personal attacks", "Insults another reader.", Lane.REVIEW,
               labels=(LabelSignal("insult", 0.6, 0.95),)),
        Clause("outside_links", "Avoid outside links", "Links are checked.", Lane.REVIEW, kind=ClauseKind.CHECK,
               coral_category=CoralCategory.SPAM),
    ),
)


def outcome(action: Action, *clauses: ClauseResult) -> Outcome:
    return Outcome(action, None, clauses, {}, "en", Named("m", "1"), Named("t", "1"))


def test_verdicts_map_to_coral_statuses_with_flags() -> None:
    insult = ClauseResult("personal_attack", Action.REJECT, 0.97, "Insults another reader.", (), ("insult",))
    link = ClauseResult("outside_links", Action.REVIEW, 1.0, "Links are checked.", (Span(0, 5, "x.com"),), ("links",))
    assert verdict(outcome(Action.PUBLISH), POLICY) == {"status": "APPROVED"}
    assert verdict(outcome(Action.REVIEW), POLICY) == {"status": "PREMOD"}
    rejected = verdict(outcome(Action.REJECT, insult, link), POLICY)
    assert rejected["status"] == "REJECTED"
    assert [a["reason"] for a in rejected["actions"]] == ["COMMENT_DETECTED_TOXIC", "COMMENT_DETECTED_SPAM"]
    assert "No personal attacks" in rejected["actions"][0]["additional_details"]
    held = ExternalModerationResponseSchema().dump(verdict(outcome(Action.REVIEW, link), POLICY))
    assert held == {"status": "SYSTEM_WITHHELD", "actions": [
        {"actionType": "FLAG", "reason": "COMMENT_DETECTED_SPAM",
         "additionalDetails": "Avoid outside links: Links are checked."}]}
