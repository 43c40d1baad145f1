"""The comment endpoints, end to end with the real model."""

from __future__ import annotations

from tests.api.conftest import assert_problem, comment_body

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
    for _ in range(3):
        response = client.post("/api/v1/comments/c1/reports", json={"reason": "abuse"}, headers=auth)
        assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["queue"], body["hidden"]) == ("published", "reported", True)


def test_takedown(client, auth, post_comment):
    post_comment()
    response = client.post("/api/v1/comments/c1/takedown", json={"reason": "court order"}, headers=auth)
    assert response.status_code == 200 and response.get_json()["status"] == "taken_down"
    history = client.get("/api/v1/comments/c1", headers=auth).get_json()["decisions"]
    assert history[-1]["actor"] == "site" and history[-1]["reason"] == "court order"


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


def test_rescore_command_fails_while_the_model_is_still_broken(client, auth, broken_scorer, runner):
    client.post("/api/v1/comments", json=comment_body(), headers=auth)
    result = runner.invoke(args=["moderation", "rescore"])
    assert result.exit_code == 1
    assert client.get("/api/v1/comments/c1", headers=auth).get_json()["status"] == "pending"
