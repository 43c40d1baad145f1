"""Raw requests exactly as Coral Talk sends them: its Perspective integration and its external moderation phase."""

from __future__ import annotations

import json
import threading
import time

import pytest
import sqlalchemy as sa

from moderation.db.perspective_models import PerspectiveAnalysis, PerspectiveSuggestion
from moderation.services.coral.signature import header_value

SECRET = "ssc_5a0bd6fa-7c1e-4d2b-9f1e-2f3b8a9c0d11"
SITE = "Daily Chronicle"


def coral_body(text: str, *, parent: str | None = None, action: str = "NEW") -> bytes:
    """An ExternalModerationRequest serialised as Coral does: JSON.stringify(request, null, 2)."""
    request = {
        "action": action,
        "comment": {"body": text, "parentID": parent},
        "author": {"id": "baf4e943-3594-4fcc-b2ba-3e8de7a76352", "role": "COMMENTER"},
        "story": {"id": "245b3856-b0a0-4d2f-a6bb-58c71f18d6a6", "url": "https://dailychronicle.in/india/story-1"},
        "site": {"id": "a4bede88-2d2c-4424-bc18-4322a9e285a6"},
        "tenantID": "19ba5794-7eeb-4d46-a81b-c00c61672501",
        "tenantDomain": "comments.dailychronicle.in",
    }
    return json.dumps(request, indent=2, ensure_ascii=False).encode("utf-8")


@pytest.fixture(autouse=True)
def patient_budget(app, monkeypatch):
    """Verdict tests must not depend on this shared test machine's speed; the budget has its own test."""
    monkeypatch.setitem(app.config, "CORAL_BUDGET_MS", 60_000)


@pytest.fixture
def coral_site(app, make_site, runner):
    make_site()
    result = runner.invoke(args=["moderation", "coral-secret", "--site", SITE, "--secret", SECRET])
    assert result.exit_code == 0, result.output
    return f"/coral/v1/moderate/{SITE}"


def post_phase(client, url: str, body: bytes, secrets=(SECRET,)):
    headers = {"Content-Type": "application/json", "X-Coral-Signature": header_value(list(secrets), body),
               "User-Agent": "Coral Moderation/7.4.0"}
    return client.post(url, data=body, headers=headers)


# --- Coral's built-in toxicity check, pointed at our Perspective endpoint -------------------------------


def test_coral_toxic_phase_analyze(client, api_key, db) -> None:
    # services/comments/pipeline/phases/toxic.ts → `${endpoint}/comments:analyze?key=${key}`
    body = {"comment": {"text": "You are an absolute idiot and a disgrace."}, "doNotStore": True,
            "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}
    response = client.post(f"/v1alpha1/comments:analyze?key={api_key}", data=json.dumps(body),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    score = response.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    assert score > 0.8  # Coral's default threshold
    assert db.scalar(sa.select(sa.func.count()).select_from(PerspectiveAnalysis)) == 0


def test_coral_feedback_suggestscore(client, api_key, db) -> None:
    # services/perspective: moderation decisions sent as attributeScores APPROVED / DELETED
    for status, comment_id in (("APPROVED", "c-1"), ("DELETED", "c-2")):
        body = {
            "comment": {"text": "Agree with the editorial on water sharing."},
            "context": {"entries": [{"text": json.dumps({"url": "https://dailychronicle.in/x?commentID=" + comment_id,
                                                          "reply_to_id_Coral_comment_id": None,
                                                          "Coral_comment_id": comment_id})}]},
            "attributeScores": {status: {"summaryScore": {"value": 1}}},
            "languages": ["EN"],
            "communityId": "Coral:https://comments.dailychronicle.in/",
            "clientToken": f"comment:{comment_id}",
        }
        response = client.post(f"/v1alpha1/comments:suggestscore?key={api_key}", data=json.dumps(body, indent=2),
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 200, response.get_data(True)
        assert response.get_json()["clientToken"] == f"comment:{comment_id}"  # Coral checks this
    approved, deleted = db.scalars(sa.select(PerspectiveSuggestion).order_by(PerspectiveSuggestion.id)).all()
    assert set(approved.labels.values()) == {0}
    assert deleted.labels["toxicity"] == 1 and deleted.labels["insult"] is None


def test_malformed_perspective_bodies(client, api_key) -> None:
    url = f"/v1alpha1/comments:analyze?key={api_key}"
    not_json = client.post(url, data="{nope", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and not_json.get_json()["error"]["status"] == "INVALID_ARGUMENT"
    unknown = client.post(url, json={"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "bogus": 1})
    error = unknown.get_json()["error"]
    assert unknown.status_code == 400 and error["message"].startswith("Invalid JSON payload received.")
    assert error["details"][0]["fieldViolations"][0]["field"] == "bogus"
    empty = client.post(url, json={"comment": {"text": "  "}, "requestedAttributes": {"TOXICITY": {}}})
    assert empty.get_json()["error"]["message"] == "Comment must be non-empty."
    missing = client.post(url, json={"comment": {"text": "hello"}})
    assert missing.get_json()["error"]["message"] == "Missing requested_attributes"
    raw = {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}}
    bad_type = client.post(url, json=raw)
    assert bad_type.get_json()["error"]["message"] == "Requested score type RAW is not supported by attribute TOXICITY"
    snake = client.post(url, json={"comment": {"text": "hello"}, "requested_attributes": {"TOXICITY": {}},
                                   "client_token": "s"})
    assert snake.status_code == 200 and snake.get_json()["clientToken"] == "s"
    null_params = client.post(url, json={"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": None}})
    assert null_params.status_code == 200 and "TOXICITY" in null_params.get_json()["attributeScores"]


def test_scorer_failure_is_unavailable(client, api_key, broken_scorer) -> None:
    response = client.post(f"/v1alpha1/comments:analyze?key={api_key}",
                           json={"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}})
    assert response.status_code == 503 and response.get_json()["error"]["status"] == "UNAVAILABLE"


# --- Coral's external moderation phase ------------------------------------------------------------------


def test_clean_comment_is_approved(client, coral_site) -> None:
    body = coral_body("<p>A fair and well reported piece on the metro expansion.</p>")
    response = post_phase(client, coral_site, body)
    assert response.status_code == 200
    assert response.get_json() == {"status": "APPROVED"}


def test_abusive_comment_is_rejected_with_a_reason(client, coral_site) -> None:
    response = post_phase(client, coral_site, coral_body("<p>You are a f***ing idiot, go die you moron</p>"))
    answer = response.get_json()
    assert answer["status"] in ("REJECTED", "SYSTEM_WITHHELD")
    assert answer["actions"][0]["actionType"] == "FLAG"
    assert answer["actions"][0]["reason"] == "COMMENT_DETECTED_TOXIC"
    assert answer["actions"][0]["additionalDetails"]


def test_abuse_in_angle_brackets_from_a_plain_text_phase_is_read(client, coral_site) -> None:
    response = post_phase(client, coral_site, coral_body("You are an <idiot and a moron, fuck you>"))
    assert response.get_json()["status"] in ("REJECTED", "SYSTEM_WITHHELD")


def test_outside_link_is_held_as_spam(client, coral_site) -> None:
    body = coral_body('<p>Read the real story at <a href="https://cheap-pills.example/win">this site</a></p>',
                      parent="d79b787f-f406-49a0-a179-72e3652e54be")
    answer = post_phase(client, coral_site, body).get_json()
    assert answer["status"] == "SYSTEM_WITHHELD"
    assert {"actionType": "FLAG", "reason": "COMMENT_DETECTED_SPAM"}.items() <= answer["actions"][0].items()


def test_link_to_the_sites_own_domain_is_fine(client, coral_site) -> None:
    body = coral_body('<p>See <a href="https://dailychronicle.in/india/story-2">yesterday\'s report</a>.</p>')
    assert post_phase(client, coral_site, body).get_json() == {"status": "APPROVED"}


def test_signature_is_required(client, coral_site) -> None:
    body = coral_body("hello")
    assert post_phase(client, coral_site, body, secrets=("wrong",)).status_code == 401
    assert client.post(coral_site, data=body, headers={"Content-Type": "application/json"}).status_code == 401
    tampered = post_phase(client, coral_site, body)  # signature valid for `body`, not for another one
    assert tampered.status_code == 200
    forged = client.post(coral_site, data=coral_body("other"),
                         headers={"X-Coral-Signature": header_value([SECRET], body)})
    assert forged.status_code == 401


def test_rotated_secrets_both_verify(client, coral_site, runner) -> None:
    result = runner.invoke(args=["moderation", "coral-secret", "--site", SITE, "--secret", "ssc_new"])
    assert result.exit_code == 0
    assert post_phase(client, coral_site, coral_body("Nice."), secrets=("ssc_new", SECRET)).status_code == 200
    assert post_phase(client, coral_site, coral_body("Nice."), secrets=(SECRET,)).status_code == 200
    runner.invoke(args=["moderation", "coral-secret", "--site", SITE, "--secret", "ssc_newer", "--replace"])
    assert post_phase(client, coral_site, coral_body("Nice."), secrets=(SECRET,)).status_code == 401
    assert post_phase(client, coral_site, coral_body("Nice."), secrets=("ssc_newer",)).status_code == 200


def test_unknown_site_and_malformed_request(client, coral_site) -> None:
    unknown = post_phase(client, "/coral/v1/moderate/Nowhere", coral_body("hi"))
    assert unknown.status_code == 401  # like a bad signature: which site names exist is not told
    body = json.dumps({"action": "NEW"}).encode()
    assert post_phase(client, coral_site, body).status_code == 400
    assert post_phase(client, coral_site, b"[" * 100_000).status_code == 400  # nested too deeply to parse


def test_a_forged_signature_of_any_characters_is_refused_not_an_error(client, coral_site) -> None:
    for header in ("sha256=éé", "sha256=" + "ä" * 64):
        response = client.post(coral_site, data=coral_body("hi"), content_type="application/json",
                               headers={"X-Coral-Signature": header})
        assert response.status_code == 401, header


def test_no_opinion_when_the_model_fails(client, coral_site, broken_scorer) -> None:
    response = post_phase(client, coral_site, coral_body("Anything at all."))
    assert response.status_code == 204 and response.get_data() == b""


class SlowScorer:
    """A model that takes a second per call, far beyond Coral's budget."""

    def __init__(self, real) -> None:
        self.real, self.name, self.version = real, real.name, real.version
        self.ready, self.labels = True, real.labels
        self.finished = threading.Event()

    def load(self) -> None:
        return None

    def score(self, texts):
        time.sleep(1.0)
        try:
            return self.real.score(texts)
        finally:
            self.finished.set()


def test_answers_within_corals_default_budget_even_when_the_model_is_slow(app, client, coral_site,
                                                                          monkeypatch) -> None:
    monkeypatch.setitem(app.config, "CORAL_BUDGET_MS", 200)  # Coral's default phase timeout
    resources = app.extensions["moderation"]
    slow = SlowScorer(resources.scorer)
    monkeypatch.setattr(resources, "scorer", slow)
    started = time.perf_counter()
    response = post_phase(client, coral_site, coral_body("<p>Kya bakwas article hai yaar.</p>", action="EDIT"))
    elapsed = time.perf_counter() - started
    assert response.status_code == 204  # no opinion: Coral carries on with its own settings
    assert elapsed < 0.2
    assert slow.finished.wait(10)  # let the abandoned model call end before the test process does


BLANK = "\u200b\u2060\ufeff"
HUGE_INTEGER_BODY = b'{"comment": {"text": "hi"}, "n": ' + b"9" * 5_000 + b"}"


def test_perspective_reads_invisible_only_text_as_empty_and_huge_integers_as_malformed(client, api_key) -> None:
    url = f"/v1alpha1/comments:analyze?key={api_key}"
    analysed = client.post(url, json={"comment": {"text": BLANK}, "requestedAttributes": {"TOXICITY": {}}})
    assert analysed.status_code == 400 and analysed.get_json()["error"]["message"] == "Comment must be non-empty."
    huge = client.post(url, data=HUGE_INTEGER_BODY, headers={"Content-Type": "application/json"})
    assert huge.status_code == 400 and huge.get_json()["error"]["status"] == "INVALID_ARGUMENT"


def test_coral_gets_no_opinion_on_invisible_only_text_and_400_for_huge_integers(client, coral_site) -> None:
    assert post_phase(client, coral_site, coral_body(BLANK)).status_code == 204  # as for an empty body
    assert post_phase(client, coral_site, coral_body("Fine words.")).status_code == 200
    assert post_phase(client, coral_site, HUGE_INTEGER_BODY).status_code == 400
