"""Google's own discovery-based client (google-api-python-client), built from the discovery document we serve,
exactly as Perspective's published Python sample builds it, with only the discovery URL changed."""

from __future__ import annotations

import json

import pytest
from googleapiclient import discovery
from googleapiclient.errors import HttpError


@pytest.fixture
def google_client(live_url: str, api_key: str):
    return discovery.build("commentanalyzer", "v1alpha1", developerKey=api_key,
                           discoveryServiceUrl=f"{live_url}/$discovery/rest?version=v1alpha1",
                           static_discovery=False, cache_discovery=False)


def test_analyze_through_googles_client(google_client) -> None:
    request = {"comment": {"text": "You are a pathetic idiot. Go away."},
               "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}, "spanAnnotations": True}
    response = google_client.comments().analyze(body=request).execute()
    assert set(response["attributeScores"]) == {"TOXICITY", "INSULT"}
    assert response["attributeScores"]["INSULT"]["summaryScore"]["value"] > 0.5
    spans = response["attributeScores"]["INSULT"]["spanScores"]
    assert [(span["begin"], span["end"]) for span in spans] == [(0, 25), (26, 34)]
    calm = google_client.comments().analyze(body={"comment": {"text": "Thank you for the careful reporting."},
                                                  "requestedAttributes": {"TOXICITY": {}}}).execute()
    assert calm["attributeScores"]["TOXICITY"]["summaryScore"]["value"] < 0.5


def test_suggestscore_through_googles_client(google_client) -> None:
    body = {"comment": {"text": "A fair point, well made."}, "clientToken": "moderator-7",
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.0}}}}
    response = google_client.comments().suggestscore(body=body).execute()
    assert response["clientToken"] == "moderator-7" and response["detectedLanguages"] == ["en"]


def test_errors_reach_googles_client_as_http_errors(google_client) -> None:
    request = {"comment": {"text": "hello"}, "requestedAttributes": {"RUDENESS": {}}}
    with pytest.raises(HttpError) as caught:
        google_client.comments().analyze(body=request).execute()
    assert caught.value.status_code == 400
    assert json.loads(caught.value.content)["error"]["message"] == "Unknown requested attribute: RUDENESS"


def test_discovery_document_roots_at_the_asking_host(client) -> None:
    document = client.get("/$discovery/rest?version=v1alpha1", base_url="https://moderation.example.in").get_json()
    assert document["rootUrl"] == "https://moderation.example.in/"
    methods = document["resources"]["comments"]["methods"]
    assert {name: (m["httpMethod"], m["path"]) for name, m in methods.items()} == {
        "analyze": ("POST", "v1alpha1/comments:analyze"), "suggestscore": ("POST", "v1alpha1/comments:suggestscore")}
    assert document["schemas"]["AnalyzeCommentRequest"]["properties"]["comment"] == {"$ref": "TextEntry"}
    missing = client.get("/$discovery/rest?version=v1")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == "NOT_FOUND"
