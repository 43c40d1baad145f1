"""comments:analyze and comments:suggestscore driven by the PyPI `perspective` client over HTTP."""

from __future__ import annotations

import json
from urllib.error import HTTPError

import pytest
import sqlalchemy as sa
from perspective import PerspectiveAPI

from moderation.db.perspective_models import PerspectiveAnalysis, PerspectiveSuggestion

CORE = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"]


def error_of(caught: pytest.ExceptionInfo[HTTPError]) -> dict:
    return json.loads(caught.value.read().decode("utf-8"))["error"]


def test_score_separates_abuse_from_a_civil_comment(perspective_client: PerspectiveAPI) -> None:
    abusive = perspective_client.score("You are a stupid worthless idiot, shut up.")
    civil = perspective_client.score("Thanks for the detailed report on the monsoon session of parliament.")
    assert abusive["TOXICITY"] > 0.7 > 0.3 > civil["TOXICITY"]


def test_analyze_answers_every_attribute_with_spans(perspective_client: PerspectiveAPI) -> None:
    text = "The budget analysis was clear. You are a pathetic moron though."
    attributes = {name: {} for name in [*CORE, "NEWSROOM_PERSONAL_ATTACK", "NEWSROOM_DEFAMATORY"]}
    result = perspective_client.analyze_comment(
        text, requested_attributes=attributes, span_annotations=True, languages=["en"], client_token="req-42"
    )
    assert set(result["attributeScores"]) == set(attributes)
    assert result["languages"] == ["en"] and result["detectedLanguages"] == ["en"]
    assert result["clientToken"] == "req-42"
    for name, scores in result["attributeScores"].items():
        assert scores["summaryScore"]["type"] == "PROBABILITY"
        assert 0.0 <= scores["summaryScore"]["value"] <= 1.0, name
        assert [(s["begin"], s["end"]) for s in scores["spanScores"]] == [(0, 30), (31, len(text))]
    insult = result["attributeScores"]["INSULT"]["spanScores"]
    assert insult[1]["score"]["value"] > 0.5 > insult[0]["score"]["value"]
    severe = result["attributeScores"]["SEVERE_TOXICITY"]["summaryScore"]["value"]
    assert severe <= result["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    attack = result["attributeScores"]["NEWSROOM_PERSONAL_ATTACK"]["summaryScore"]["value"]
    assert attack == pytest.approx(result["attributeScores"]["INSULT"]["summaryScore"]["value"], abs=1e-6)


def test_span_offsets_are_utf16_like_perspective(perspective_client: PerspectiveAPI) -> None:
    text = "Great goal 😀⚽. What an idiot referee!"
    result = perspective_client.analyze_comment(text, span_annotations=True)
    spans = result["attributeScores"]["TOXICITY"]["spanScores"]
    assert [(s["begin"], s["end"]) for s in spans] == [(0, 15), (16, len(text.encode("utf-16-le")) // 2)]


def test_languages_are_detected_when_not_given(perspective_client: PerspectiveAPI) -> None:
    devanagari = perspective_client.analyze_comment("यह लेख बहुत अच्छा और संतुलित है।")
    assert devanagari["languages"] == ["hi"] and devanagari["detectedLanguages"] == ["hi"]
    hinglish = perspective_client.analyze_comment("Yeh article bahut accha hai, sarkar ko padhna chahiye")
    assert hinglish["languages"] == ["hi-Latn"] and "TOXICITY" in hinglish["attributeScores"]


def test_score_threshold_leaves_out_low_attributes(perspective_client: PerspectiveAPI) -> None:
    result = perspective_client.analyze_comment(
        "What a lovely photo essay on Kerala's backwaters.",
        requested_attributes={"TOXICITY": {"scoreThreshold": 0.9, "scoreType": "PROBABILITY"}, "INSULT": {}},
    )
    assert list(result["attributeScores"]) == ["INSULT"]


def test_the_moderation_clients_attributes_come_from_our_clauses(perspective_client: PerspectiveAPI) -> None:
    names = ("LIKELY_TO_REJECT", "ATTACK_ON_AUTHOR", "ATTACK_ON_COMMENTER", "INFLAMMATORY", "OBSCENE")
    result = perspective_client.analyze_comment("You are an idiot", requested_attributes={n: {} for n in names})
    values = {n: result["attributeScores"][n]["summaryScore"]["value"] for n in names}
    # Fixed scores (tests/fakes.py): "idiot" gives personal_attack 0.85 and insult 0.85 (and toxicity 0.92, which
    # no harm clause of the default policy reads: it is no reason to reject).
    assert values == {"LIKELY_TO_REJECT": 0.85, "ATTACK_ON_AUTHOR": 0.85, "ATTACK_ON_COMMENTER": 0.85,
                      "INFLAMMATORY": 0.0, "OBSCENE": 0.0}


def test_unknown_attribute_is_perspectives_error(perspective_client: PerspectiveAPI) -> None:
    with pytest.raises(HTTPError) as caught:
        perspective_client.analyze_comment("hello there", requested_attributes={"FLIRTATION": {}})
    assert caught.value.code == 400
    assert error_of(caught) == {"code": 400, "message": "Unknown requested attribute: FLIRTATION",
                                "status": "INVALID_ARGUMENT"}


def test_unsupported_language_is_perspectives_error(perspective_client: PerspectiveAPI) -> None:
    with pytest.raises(HTTPError) as caught:
        perspective_client.analyze_comment("Das ist ein Kommentar.", languages=["de"])
    error = error_of(caught)
    assert caught.value.code == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == "Attribute TOXICITY does not support request languages: de"
    assert error["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    with pytest.raises(HTTPError) as caught:  # the error names the language detected, not the one requested
        perspective_client.analyze_comment("यह अच्छी खबर है", languages=["de"])
    assert error_of(caught)["details"][0]["languageNotSupportedByAttributeError"]["detectedLanguages"] == ["hi"]


def test_drop_unsupported_attributes_answers_without_them(live_url: str, api_key: str) -> None:
    from urllib.request import Request, urlopen

    body = {"comment": {"text": "Das ist ein Kommentar."}, "languages": ["de"],
            "requestedAttributes": {"TOXICITY": {}}, "dropUnsupportedAttributes": True}
    request = Request(f"{live_url}/v1alpha1/comments:analyze?key={api_key}", data=json.dumps(body).encode(),
                      headers={"Content-Type": "application/json"}, method="POST")
    result = json.loads(urlopen(request).read())
    assert result == {"attributeScores": {}, "languages": ["de"], "detectedLanguages": ["und"]}


def test_bad_and_missing_keys(perspective_client: PerspectiveAPI, live_url: str) -> None:
    wrong = PerspectiveAPI("mk_000000000000_not-a-real-key")
    wrong.api_client.url = perspective_client.api_client.url
    with pytest.raises(HTTPError) as caught:
        wrong.score("hello")
    error = error_of(caught)
    assert caught.value.code == 400 and error["message"] == "API key not valid. Please pass a valid API key."
    assert error["details"][0]["reason"] == "API_KEY_INVALID"
    keyless = PerspectiveAPI("")
    keyless.api_client.url = perspective_client.api_client.url
    with pytest.raises(HTTPError) as caught:
        keyless.score("hello")
    assert caught.value.code == 403 and error_of(caught)["status"] == "PERMISSION_DENIED"


def test_do_not_store_keeps_nothing(perspective_client: PerspectiveAPI, db) -> None:
    perspective_client.analyze_comment("Kept for audit, this one.")
    perspective_client.analyze_comment("Not kept at all, this one.", do_not_store=True)
    rows = db.scalars(sa.select(PerspectiveAnalysis)).all()
    assert [r.text for r in rows] == ["Kept for audit, this one."]
    assert set(rows[0].scores) == {"TOXICITY"}


def test_suggest_score_is_kept_and_exported_for_training(perspective_client: PerspectiveAPI, db, runner,
                                                         tmp_path) -> None:
    from moderation.scoring.dataset import read_jsonl

    answer = perspective_client.suggest_score(
        "Tu toh bilkul pagal hai, chup kar.",
        {"TOXICITY": {"summaryScore": {"value": 1.0}}, "INSULT": {"summaryScore": {"value": 1.0}}},
        languages=["hi"], client_token="mod-7", community_id="letters",
    )
    assert answer["clientToken"] == "mod-7" and answer["requestedLanguages"] == ["hi"]
    assert answer["detectedLanguages"] == ["hi-Latn"]
    perspective_client.suggest_score("A measured, civil reply.", {"TOXICITY": {"summaryScore": {"value": 0.0}}})
    stored = db.scalars(sa.select(PerspectiveSuggestion).order_by(PerspectiveSuggestion.id)).all()
    assert stored[0].labels["insult"] == 1 and stored[0].community_id == "letters"
    db.rollback()  # end the read transaction (SQLite) before the command opens its own
    out = tmp_path / "suggestions.jsonl"
    result = runner.invoke(args=["moderation", "export-suggestions", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(read_jsonl(out))
    assert [r.source for r in rows] == ["suggestscore:Daily Chronicle"] * 2
    assert rows[0].labels == {"toxicity": 1, "obscene": None, "insult": 1, "threat": None, "identity_attack": None}
    assert rows[1].labels == dict.fromkeys(rows[1].labels, 0)


def test_suggest_score_refuses_empty_scores(perspective_client: PerspectiveAPI) -> None:
    with pytest.raises(HTTPError) as caught:
        perspective_client.suggest_score("text", {})
    assert caught.value.code == 400 and error_of(caught)["message"] == "attribute_scores must not be empty."


def test_skipping_the_evidence_pass_keeps_every_decision(app) -> None:
    """comments:analyze scores without the evidence pass; the decisions must be the same."""
    from moderation.extensions import get_policy, get_scorer
    from moderation.services.comments.scoring import score_texts

    texts = ["You are a pathetic moron. Resign now. Nobody wants you.", "Visit https://spam.example/x now.",
             "तुम बेवकूफ हो", "Great reporting, thanks.", "Tu toh pagal hai yaar, chup kar"]
    with app.app_context():
        scorer, policy = get_scorer(), get_policy()
        ours = score_texts(scorer, policy, texts, site_domains=("dailychronicle.in",), evidence=False)
        theirs = score_texts(scorer, policy, texts, site_domains=("dailychronicle.in",))
    for mine, reference in zip(ours, theirs, strict=True):
        assert (mine.action, mine.lane, mine.language, mine.holds) == (
            reference.action, reference.lane, reference.language, reference.holds)
        assert [(c.clause, c.action, c.score) for c in mine.clauses] == [
            (c.clause, c.action, c.score) for c in reference.clauses]
        assert mine.scores == pytest.approx(reference.scores, abs=1e-5)
