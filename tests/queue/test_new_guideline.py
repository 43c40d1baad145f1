"""A new guideline is a policy-file edit: a clause added to the TOML fires, shows in the queue and in Coral's
answer, with no code change."""

from __future__ import annotations

from pathlib import Path

from moderation.policy.loader import load_policy
from tests.api.conftest import comment_body
from tests.coral.test_coral_talk import SECRET, SITE, coral_body, post_phase
from tests.fakes import FixedScorer

ROOT = Path(__file__).resolve().parents[2]

NEW_CLAUSE = '''
[[clauses]]
id = "voting_misinformation"
title = "No false claims about voting"
reason = "Tells readers how or when to vote in a way the Election Commission has not announced."
lane = "review"
kind = "harm"
coral_category = "spam"
labels = [{ label = "toxicity", review = 0.35 }]
'''
TEXT = "The machines are rigged, so vote on Thursday instead."


def test_a_clause_added_to_the_policy_file_fires_in_the_api_the_queue_and_coral(
    app, client, auth, as_role, runner, tmp_path, monkeypatch
):
    path = tmp_path / "default.toml"
    path.write_text((ROOT / "policies" / "default.toml").read_text(encoding="utf-8") + NEW_CLAUSE, encoding="utf-8")
    resources = app.extensions["moderation"]
    monkeypatch.setitem(resources.policies, "default", load_policy(path))
    # Only the new clause's band is reached: toxicity 0.4 is far below the inflammatory clause's 0.9.
    monkeypatch.setattr(resources, "scorer", FixedScorer({"rigged": {"toxicity": 0.4}}))

    body = client.post("/api/v1/comments", json=comment_body("c1", TEXT), headers=auth).get_json()
    assert (body["status"], body["queue"]) == ("pending", "review")
    assert [c["clause"] for c in body["clauses"]] == ["voting_misinformation"]
    assert body["reason"].startswith("Tells readers how or when to vote")

    moderator = as_role("moderator")
    listing = moderator.get("/queue/q/pending").text
    assert "chip-voting_misinformation" in listing and "voting misinformation" in listing
    assert '<option value="voting_misinformation"' in listing  # the clause filter offers it
    page = moderator.get(f"/queue/c/{body['id']}").text
    assert "No false claims about voting" in page and "ev-voting_misinformation" in page

    assert runner.invoke(args=["moderation", "coral-secret", "--site", SITE, "--secret", SECRET]).exit_code == 0
    answer = post_phase(client, f"/coral/v1/moderate/{SITE}", coral_body(TEXT)).get_json()
    assert answer["status"] == "SYSTEM_WITHHELD"
    assert [a["reason"] for a in answer["actions"]] == ["COMMENT_DETECTED_SPAM"]  # the clause's coral_category
    assert "No false claims about voting" in str(answer["actions"])
