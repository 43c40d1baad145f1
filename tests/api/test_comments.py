"""The comment endpoints, end to end with the real model."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import assert_problem, comment_body
from tests.fakes import FixedScorer
from tests.services.conftest import DEFAMATORY

ABUSIVE = "You are a fucking idiot and a piece of shit"


def test_submit_answers_with_status_clauses_scores_model_and_policy(post_comment, app):
    response = post_comment()
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"id", "external_id", "status", "queue", "clauses", "scores", "model", "policy"}
    assert (body["external_id"], body["status"], body["queue"], body["clauses"]) == ("c1", "published", None, [])
    scorer = app.extensions["moderation"].scorer
    assert body["model"] == {"name": scorer.name, "version": scorer.version}
    assert body["policy"]["name"] == "default" and "toxicity" in body["scores"]


def test_rejected_comment_carries_the_clauses_that_fired(post_comment):
    body = post_comment(text=ABUSIVE).get_json()
    assert body["status"] == "rejected"
    clause = next(c for c in body["clauses"] if c["clause"] == "obscene")
    assert set(clause) == {"clause", "action", "score", "reason", "spans", "signals"}
    assert clause["spans"] and set(clause["spans"][0]) == {"start", "end", "text"}


def test_retry_returns_the_same_result_and_a_changed_retry_conflicts(post_comment):
    first = post_comment()
    again = post_comment()
    assert again.status_code == 200 and again.get_json() == first.get_json()
    body = assert_problem(post_comment(text="A different text"), 409)
    assert "different content" in body["detail"]


def test_get_returns_exact_text_status_and_decision_history(client, auth, post_comment):
    post_comment(text=ABUSIVE)
    body = client.get("/api/v1/comments/c1", headers=auth).get_json()
    assert body["text"] == ABUSIVE and body["status"] == "rejected"
    assert body["author"] == {"external_id": "u1", "display_name": "Priya Sharma"}
    assert [(d["actor"], d["to_status"]) for d in body["decisions"]] == [("system", "rejected")]
    assert body["decisions"][0]["model"]["name"] and body["decisions"][0]["policy"]["version"]


def test_unknown_comment_is_404(client, auth):
    assert_problem(client.get("/api/v1/comments/nope", headers=auth), 404)
    assert_problem(client.put("/api/v1/comments/nope", json={"text": "x"}, headers=auth), 404)
    assert_problem(client.post("/api/v1/comments/nope/reports", json={"reason": "spam"}, headers=auth), 404)
    assert_problem(client.post("/api/v1/comments/nope/takedown", json={"reason": "x"}, headers=auth), 404)


def test_put_edits_and_decides_again(client, auth, post_comment):
    post_comment()
    response = client.put("/api/v1/comments/c1", json={"text": ABUSIVE}, headers=auth)
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["revision"]) == ("rejected", 2)
    assert client.get("/api/v1/comments/c1", headers=auth).get_json()["text"] == ABUSIVE


def test_reports_reach_the_reported_queue_at_the_threshold(client, auth, post_comment):
    post_comment()
    for reader in ("r1", "r2", "r3"):
        response = client.post("/api/v1/comments/c1/reports", json={"reason": "abuse", "reporter_external_id": reader},
                               headers=auth)
        assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["queue"], body["hidden"]) == ("published", "reported", True)


def test_one_reader_reporting_again_counts_once_and_is_answered_idempotently(client, auth, post_comment):
    post_comment()
    report = {"reason": "abuse", "reporter_external_id": "reader-1"}
    assert client.post("/api/v1/comments/c1/reports", json=report, headers=auth).status_code == 201
    for _ in range(4):  # the same reader again, or a retry
        response = client.post("/api/v1/comments/c1/reports", json=report, headers=auth)
        assert response.status_code == 200
        assert (response.get_json()["queue"], response.get_json()["hidden"]) == (None, False)
    for _ in range(3):  # reports without a reporter id count as one reader, however many
        assert client.post("/api/v1/comments/c1/reports", json={"reason": "spam"}, headers=auth).status_code == 201
    stored = client.get("/api/v1/comments/c1", headers=auth).get_json()
    assert (stored["report_count"], stored["queue"], stored["hidden"]) == (2, None, False)


@pytest.mark.parametrize(("text", "status"), [(ABUSIVE, "rejected"), (DEFAMATORY, "pending")])
def test_comments_not_published_are_hidden_in_answers_listings_and_webhooks(client, auth, app, make_site, text,
                                                                            status):
    from moderation.extensions import database
    from moderation.services.sites import create_api_key

    make_site("Hooked", domains=("hooked.in",), webhook_url="http://127.0.0.1:9/hook")
    with app.app_context():
        session = database().sessions()
        hooked = {"Authorization": f"Bearer {create_api_key(session, 'Hooked')}"}
        session.close()
    body = client.post("/api/v1/comments", json=comment_body(text=text), headers=hooked).get_json()
    assert (body["status"], body["hidden"]) == (status, True)
    listed = client.get("/api/v1/articles/a1/comments", headers=hooked).get_json()["items"]
    assert [(c["status"], c["hidden"]) for c in listed] == [(status, True)]
    edited = client.put("/api/v1/comments/c1", json={"text": "A calm, friendly remark."}, headers=hooked).get_json()
    assert (edited["status"], edited["hidden"]) == ("published", False)
    taken = client.post("/api/v1/comments/c1/takedown", json={"reason": "legal"}, headers=hooked).get_json()
    assert (taken["status"], taken["hidden"]) == ("taken_down", True)
    deliveries = client.get("/api/v1/webhook-deliveries", headers=hooked).get_json()["items"]
    sent = [json.loads(d["body"])["comment"] for d in reversed(deliveries)]
    assert [(c["status"], c["hidden"]) for c in sent] == [(status, True), ("published", False), ("taken_down", True)]


def test_a_comment_held_because_scoring_failed_is_hidden(client, auth, broken_scorer):
    body = client.post("/api/v1/comments", json=comment_body(), headers=auth).get_json()
    assert (body["status"], body["reason"], body["hidden"]) == ("pending", "not scored", True)


def test_an_edit_that_could_not_be_scored_has_no_language(client, auth, post_comment, app, monkeypatch):
    from tests.conftest import FailingScorer

    assert post_comment().get_json()["language"]
    monkeypatch.setattr(app.extensions["moderation"], "scorer", FailingScorer())
    body = client.put("/api/v1/comments/c1", json={"text": "Edited while the model is down."}, headers=auth).get_json()
    assert (body["revision"], body["reason"], body["language"], body["hidden"]) == (2, "not scored", None, True)


def test_a_takedown_while_an_edit_is_scored_stays_taken_down(client, auth, post_comment, app, monkeypatch):
    from tests.services.test_edit_races import MidScoring

    post_comment()

    def takedown() -> None:  # another request, arriving while the edit is being scored
        with app.test_client() as other:
            response = other.post("/api/v1/comments/c1/takedown", json={"reason": "court order"}, headers=auth)
            assert response.get_json()["status"] == "taken_down"

    real = app.extensions["moderation"].scorer
    monkeypatch.setattr(app.extensions["moderation"], "scorer", MidScoring(real, takedown))
    response = client.put("/api/v1/comments/c1", json={"text": "A longer, edited text. " * 100}, headers=auth)
    assert "taken down" in assert_problem(response, 409)["detail"]
    stored = client.get("/api/v1/comments/c1", headers=auth).get_json()
    assert (stored["status"], stored["hidden"], stored["revision"]) == ("taken_down", True, 1)


def test_takedown(client, auth, post_comment):
    post_comment()
    response = client.post("/api/v1/comments/c1/takedown", json={"reason": "court order"}, headers=auth)
    assert response.status_code == 200 and response.get_json()["status"] == "taken_down"
    history = client.get("/api/v1/comments/c1", headers=auth).get_json()["decisions"]
    assert history[-1]["actor"] == "site" and history[-1]["reason"] == "court order"
    assert history[0]["id"] < history[-1]["id"]  # the ids a webhook receiver orders events by


def test_scorer_failure_holds_the_comment_not_scored_and_rescore_fixes_it(client, auth, broken_scorer, runner, app,
                                                                         monkeypatch):
    body = client.post("/api/v1/comments", json=comment_body(), headers=auth).get_json()
    assert (body["status"], body["queue"], body["reason"], body["scores"]) == ("pending", "review", "not scored", {})
    monkeypatch.undo()  # the model is back
    result = runner.invoke(args=["moderation", "rescore"])
    assert result.exit_code == 0, result.output
    after = client.get("/api/v1/comments/c1", headers=auth).get_json()
    assert after["status"] == "published" and after["scores"]
    assert [d["reason"] for d in after["decisions"]][0] == "not scored"


def test_rescore_has_its_own_deadline_not_the_apis(client, auth, broken_scorer, runner, app, monkeypatch):
    from tests.services.test_guarded_scoring import SlowScorer

    client.post("/api/v1/comments", json=comment_body(), headers=auth)
    monkeypatch.setitem(app.config, "SCORER_TIMEOUT_S", 0.001)  # an API deadline no model call meets
    monkeypatch.setattr(app.extensions["moderation"], "scorer", SlowScorer(FixedScorer(), 0.05))
    result = runner.invoke(args=["moderation", "rescore"])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/comments/c1", headers=auth).get_json()["status"] == "published"
    client.post("/api/v1/comments", json=comment_body("c2"), headers=auth)  # held: 1 ms is too short
    assert client.get("/api/v1/comments/c2", headers=auth).get_json()["reason"] == "not scored"
    too_short = runner.invoke(args=["moderation", "rescore", "--timeout", "0.001"])
    assert too_short.exit_code == 1 and "0 scored, 1 still unscored" in too_short.output


def test_rescore_command_fails_while_the_model_is_still_broken(client, auth, broken_scorer, runner):
    client.post("/api/v1/comments", json=comment_body(), headers=auth)
    result = runner.invoke(args=["moderation", "rescore"])
    assert result.exit_code == 1
    assert client.get("/api/v1/comments/c1", headers=auth).get_json()["status"] == "pending"
