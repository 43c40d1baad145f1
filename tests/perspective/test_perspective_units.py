"""Pure pieces of the Perspective layer: sentences and offsets, attributes, languages, feedback labels."""

from __future__ import annotations

import dataclasses

import pytest

from moderation.detectors.base import Span
from moderation.enums import Action, ClauseKind, Lane, Script
from moderation.policy.model import (
    Calibration,
    Clause,
    ClauseResult,
    LabelCalibration,
    LabelSignal,
    Moderation,
    Named,
    Outcome,
    Policy,
)
from moderation.services.comments.html_text import html_to_text
from moderation.services.comments.sentences import split_sentences
from moderation.services.perspective import errors
from moderation.services.perspective.attributes import (
    attribute_value,
    available_attributes,
    clause_score,
    derived_severe_toxicity,
    likely_to_reject,
)
from moderation.services.perspective.feedback import labels_from, suggested_values
from moderation.services.perspective.languages import detected_code, script_of, unsupported
from moderation.services.perspective.spans import code_point_index, utf16_offset

POLICY = Policy(
    name="t",
    version="1",
    description="",
    clauses=(
        Clause("obscene", "No obscenity", "Obscene.", Lane.REVIEW, labels=(LabelSignal("obscene", 0.5, 0.9),)),
        Clause("outside_links", "Links", "Links.", Lane.REVIEW),
    ),
    moderation=Moderation(review_languages=("other",)),
)
LABELS = ("toxicity", "obscene", "insult", "threat", "identity_attack")


def outcome(scores: dict[str, float], clauses: tuple[ClauseResult, ...] = ()) -> Outcome:
    return Outcome(Action.PUBLISH, None, clauses, scores, "en", Named("m", "1"), Named("t", "1"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two!  Three?", ["One.", "Two!", "Three?"]),
        ("  लोग पागल हैं। सच में", ["लोग पागल हैं।", "सच में"]),
        ("line one\n\nline two", ["line one", "line two"]),
        ("3.14 is pi", ["3.14 is pi"]),
        ("He said \"stop.\" Then left.", ["He said \"stop.\"", "Then left."]),
        ("   ", []),
    ],
)
def test_sentences_cover_the_text_at_their_offsets(text: str, expected: list[str]) -> None:
    parts = split_sentences(text)
    assert [p.text for p in parts] == expected
    assert all(text[p.start : p.end] == p.text for p in parts)


def test_offsets_count_utf16_units_like_perspective() -> None:
    text = "Nice 😀 post. You idiot."
    second = split_sentences(text)[1]
    assert utf16_offset(text, second.start) == second.start + 1  # the emoji is two UTF-16 units
    assert code_point_index(text, utf16_offset(text, second.start)) == second.start
    assert utf16_offset("अच्छा", 3) == 3  # Devanagari is in the BMP


def test_available_attributes_follow_the_model_and_the_policy() -> None:
    available = available_attributes(LABELS, POLICY)
    assert available["PROFANITY"] == "label:obscene"
    assert available["SEVERE_TOXICITY"] == "derived:severe_toxicity"
    assert available["NEWSROOM_OBSCENE"] == "clause:obscene"
    assert available["NEWSROOM_OUTSIDE_LINKS"] == "clause:outside_links"
    assert "SEXUALLY_EXPLICIT" not in available
    with_severe = available_attributes((*LABELS, "severe_toxicity", "sexual_explicit"), POLICY)
    assert with_severe["SEVERE_TOXICITY"] == "label:severe_toxicity"
    assert with_severe["SEXUALLY_EXPLICIT"] == "label:sexual_explicit"


def test_perspective_moderation_attributes_come_from_the_clause_heads() -> None:
    heads = (*LABELS, "personal_attack", "inflammatory", "violent_threat", "defamation_risk", "obscenity")
    assert "LIKELY_TO_REJECT" in available_attributes(LABELS, POLICY)  # the obscene clause's model label
    assert "OBSCENE" not in available_attributes(LABELS, POLICY)  # a model without clause heads
    policy = Policy("t", "1", "", (
        Clause("personal_attack", "No attacks", "Attack.", Lane.REVIEW, labels=(LabelSignal("personal_attack", 0.5),)),
        Clause("obscene", "No obscenity", "Obscene.", Lane.REVIEW, labels=(LabelSignal("obscenity", 0.6),)),
        Clause("outside_links", "Links", "Links.", Lane.REVIEW, labels=(LabelSignal("toxicity", 0.1),),
               kind=ClauseKind.CHECK),
    ))
    available = available_attributes(heads, policy)
    assert {a: available[a] for a in ("OBSCENE", "INFLAMMATORY", "ATTACK_ON_AUTHOR", "ATTACK_ON_COMMENTER",
                                      "LIKELY_TO_REJECT")} == {
        "OBSCENE": "label:obscenity", "INFLAMMATORY": "label:inflammatory", "ATTACK_ON_AUTHOR": "label:personal_attack",
        "ATTACK_ON_COMMENTER": "label:personal_attack", "LIKELY_TO_REJECT": "derived:likely_to_reject"}
    scores = outcome({"personal_attack": 0.7, "obscenity": 0.2, "toxicity": 0.95, "inflammatory": 0.4})
    assert attribute_value(available["ATTACK_ON_COMMENTER"], policy, scores) == pytest.approx(0.7)
    # The check clause's toxicity (0.95) is no reason to reject; the strongest harm label is.
    assert attribute_value("derived:likely_to_reject", policy, scores) == pytest.approx(0.7)
    calibrated = dataclasses.replace(policy, calibration=Calibration(
        "site-1", "1", {"personal_attack": LabelCalibration(a=1.0, b=-3.0)}))
    # personal_attack calibrates to sigmoid(logit(0.7) - 3) = 0.104: obscenity's 0.2 is now the strongest.
    assert clause_score(calibrated, scores, "personal_attack") == pytest.approx(0.104, abs=0.001)
    assert likely_to_reject(calibrated, scores.scores) == pytest.approx(0.2)


def test_derived_severe_toxicity_needs_toxicity_and_a_specific_harm() -> None:
    rude = {"toxicity": 0.9, "obscene": 0.05, "insult": 0.1, "threat": 0.01, "identity_attack": 0.02}
    hateful = {"toxicity": 0.95, "obscene": 0.1, "insult": 0.3, "threat": 0.02, "identity_attack": 0.9}
    assert derived_severe_toxicity(rude) == pytest.approx(0.09)
    assert derived_severe_toxicity(hateful) == pytest.approx(0.855)
    assert derived_severe_toxicity(hateful) <= hateful["toxicity"]


def test_clause_score_is_the_fired_score_or_the_strongest_label() -> None:
    quiet = outcome({"obscene": 0.3, "toxicity": 0.4})
    assert clause_score(POLICY, quiet, "obscene") == pytest.approx(0.3)
    assert clause_score(POLICY, quiet, "outside_links") == 0.0
    fired = ClauseResult("outside_links", Action.REVIEW, 1.0, "Links.", (Span(0, 3, "x.y"),), ("links",))
    assert clause_score(POLICY, outcome({"obscene": 0.3}, (fired,)), "outside_links") == 1.0
    assert attribute_value("label:obscene", POLICY, quiet) == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("code", "script"),
    [("en", Script.ENGLISH), ("EN", Script.ENGLISH), ("en-US", Script.ENGLISH), ("hi", Script.DEVANAGARI),
     ("hi-Latn", Script.HINGLISH), ("hi_latn", Script.HINGLISH), ("fr", Script.OTHER)],
)
def test_language_codes(code: str, script: Script) -> None:
    assert script_of(code) is script


def test_unsupported_languages_follow_the_policy() -> None:
    assert unsupported(POLICY, ["en", "hi-Latn", "hi"]) == []
    assert unsupported(POLICY, ["en", "de"]) == ["de"]
    assert detected_code("hi-latn") == "hi-Latn" and detected_code("other") == "und"


def test_suggestion_labels() -> None:
    assert labels_from({"TOXICITY": 1.0, "INSULT": 1.0}) == {
        "toxicity": 1, "obscene": None, "insult": 1, "threat": None, "identity_attack": None}
    assert labels_from({"TOXICITY": 0.0}) == dict.fromkeys(LABELS, 0)
    assert labels_from({"APPROVED": 1.0}) == dict.fromkeys(LABELS, 0)
    assert labels_from({"DELETED": 1.0}) == {**dict.fromkeys(LABELS), "toxicity": 1}
    assert labels_from({"SEVERE_TOXICITY": 0.0}) == dict.fromkeys(LABELS)
    assert labels_from({"NEWSROOM_DEFAMATORY": 1.0}) == dict.fromkeys(LABELS)


def test_suggested_values_take_the_summary_or_the_strongest_span() -> None:
    values = suggested_values({
        "TOXICITY": {"summary_score": {"value": 0.8}},
        "INSULT": {"span_scores": [{"begin": 0, "end": 3, "score": {"value": 0.2}},
                                   {"begin": 4, "end": 9, "score": {"value": 0.9}}]},
    })
    assert values == {"TOXICITY": 0.8, "INSULT": 0.9}
    for bad in ({}, {"TOXICITY": {}}, {"TOXICITY": {"summary_score": {"value": 1.5}}},
                {"INSULT": {"span_scores": [{"score": {"value": 0.2}}]}}):
        with pytest.raises(errors.PerspectiveError) as caught:
            suggested_values(bad)
        assert caught.value.status == "INVALID_ARGUMENT"


def test_html_to_text_keeps_what_readers_see() -> None:
    html = '<p>Hello &amp; welcome</p><p>see <a href="https://spam.example/x">this</a><br>ok</p><script>x()</script>'
    assert html_to_text(html) == "Hello & welcome\nsee https://spam.example/x this\nok"


def test_error_body_is_googles_format() -> None:
    body = errors.language_not_supported("TOXICITY", ["de"], ["de"]).to_dict()
    assert body["error"]["code"] == 400 and body["error"]["status"] == "INVALID_ARGUMENT"
    assert body["error"]["message"] == "Attribute TOXICITY does not support request languages: de"
    assert body["error"]["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert errors.missing_key().to_dict() == {"error": {
        "code": 403, "message": "The request is missing a valid API key.", "status": "PERMISSION_DENIED"}}
