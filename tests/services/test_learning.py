"""Decisions as labels: the export's rows and the agreement figures, checked against the newsroom worked by hand
(tests/services/newsroom.py)."""

from __future__ import annotations

import json

import pytest

from moderation.db.enums import CommentStatus
from tests.services.conftest import comment_input as comment_input_for
from tests.services.newsroom import AUTHOR_NAME, TEXTS, build_newsroom


@pytest.fixture
def newsroom(app, db, submit, policy, site):
    built = build_newsroom(db, submit, app.extensions["moderation"].policies, site)
    db.commit()
    return built


def _rows(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_the_newsroom_is_routed_as_its_table_says(newsroom, db):
    status = {cid: c.status for cid, c in newsroom.comments.items()}
    assert status == {"c1": CommentStatus.REJECTED, "c2": CommentStatus.PUBLISHED, "c3": CommentStatus.REJECTED,
                      "c4": CommentStatus.PUBLISHED, "c5": CommentStatus.TAKEN_DOWN, "c6": CommentStatus.TAKEN_DOWN,
                      "c7": CommentStatus.REJECTED, "c8": CommentStatus.REJECTED, "c9": CommentStatus.PUBLISHED}


def test_export_writes_one_training_row_per_decision(newsroom, runner, tmp_path):
    out = tmp_path / "decisions.jsonl"
    result = runner.invoke(args=["moderation", "export-decisions", "--site", "Daily Chronicle", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "exported 8 decisions" in result.output
    rows = {r["source_labels"]["decision"] + ":" + r["text"]: r for r in _rows(out.read_text(encoding="utf-8"))}
    assert len(rows) == 8
    c1 = rows["reject:" + TEXTS["c1"]]
    assert c1["source"] == "decisions:Daily Chronicle" and c1["lang"] == "en" and c1["id"].startswith("decision-")
    assert c1["clauses"]["personal_attack"] == 1 and c1["clauses"]["obscene"] is None
    assert c1["labels"] == {"obscenity": None, "defamation_risk": None, "inflammatory": None,
                            "violent_threat": None, "personal_attack": 1}
    assert c1["source_labels"]["role"] == "moderator" and c1["source_labels"]["held_by"] == ["personal_attack"]
    approved = rows["approve:" + TEXTS["c4"]]
    assert set(approved["clauses"].values()) == {0} and approved["labels"]["violent_threat"] == 0
    other = rows["reject:" + TEXTS["c3"]]
    assert set(other["clauses"].values()) == {None}
    takedown = rows["takedown:" + TEXTS["c6"]]
    assert takedown["source_labels"]["role"] == "site" and takedown["clauses"]["obscene"] == 1
    escalated = rows["escalate:" + TEXTS["c7"]]
    assert escalated["source_labels"]["legal_outcome"] == "reject" and set(escalated["clauses"].values()) == {None}
    legal = rows["reject:" + TEXTS["c7"]]
    assert legal["source_labels"]["role"] == "legal" and legal["source_labels"]["queue"] == "legal"
    assert TEXTS["c8"] not in out.read_text(encoding="utf-8")  # nobody decided it: not a label


def test_export_never_writes_the_author(newsroom, runner):
    result = runner.invoke(args=["moderation", "export-decisions"])
    assert result.exit_code == 0, result.output
    assert AUTHOR_NAME not in result.stdout and "reader-c" not in result.stdout
    for row in _rows(result.stdout):
        assert set(row) == {"id", "source", "lang", "text", "labels", "clauses", "source_labels"}


def test_export_rows_read_back_as_training_data(newsroom, runner, tmp_path):
    from moderation.scoring.dataset import read_jsonl

    out = tmp_path / "d.jsonl"
    assert runner.invoke(args=["moderation", "export-decisions", "--out", str(out)]).exit_code == 0
    rows = list(read_jsonl(out))
    assert len(rows) == 8 and all(r.source == "decisions:Daily Chronicle" for r in rows)


def test_export_since_and_unknown_site(newsroom, runner):
    later = runner.invoke(args=["moderation", "export-decisions", "--since", "2999-01-01"])
    assert later.exit_code == 0 and later.stdout == "" and "exported 0 decisions" in later.output
    unknown = runner.invoke(args=["moderation", "export-decisions", "--site", "Daily Chronicel"])
    assert unknown.exit_code == 2 and "no site named" in unknown.output
    bad = runner.invoke(args=["moderation", "export-decisions", "--since", "last week"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_agreement_matches_the_figures_worked_by_hand(newsroom, runner):
    result = runner.invoke(args=["moderation", "agreement", "--site", "Daily Chronicle", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"window", "clauses", "by_language", "false_hold_terms"}
    # Seven decisions judge a text (the escalation counts through its legal outcome).
    assert report["window"]["decisions"] == 7 and report["window"]["site"] == "Daily Chronicle"
    clauses = report["clauses"]
    # personal_attack held c1, c2, c3, c7: upheld by c1 (its clause), c3 ("other" names none), c7 (legal);
    # overturned by c2. Missed c5 (published, then removed for personal_attack).
    assert clauses["personal_attack"] == {"held": 4, "upheld": 3, "precision": 0.75, "missed": 1,
                                          "recall_estimate": 0.75}
    # threats held c4, approved.
    assert clauses["threats"] == {"held": 1, "upheld": 0, "precision": 0.0, "missed": 0, "recall_estimate": None}
    # obscene held nothing a person saw (c8 was rejected outright); missed c6 (the site's take-down).
    assert clauses["obscene"] == {"held": 0, "upheld": 0, "precision": None, "missed": 1, "recall_estimate": 0.0}
    assert clauses["defamatory"]["held"] == 0 and clauses["defamatory"]["precision"] is None
    assert report["by_language"] == {"en": {"decisions": 7, "held": 5, "upheld": 3, "precision": 0.6, "missed": 2}}
    assert report["false_hold_terms"] == [{"term": "muslim", "held": 1, "approved": 1, "approved_share": 1.0}]


def test_agreement_prints_a_table(newsroom, runner):
    result = runner.invoke(args=["moderation", "agreement"])
    assert result.exit_code == 0, result.output
    assert "personal_attack" in result.stdout and "75%" in result.stdout
    assert "held then approved: 'muslim' 1 of 1" in result.stdout


def test_exported_decisions_are_what_train_reads(newsroom, runner, tmp_path):
    from moderation.scoring.training import decision_rows

    out = tmp_path / "d.jsonl"
    assert runner.invoke(args=["moderation", "export-decisions", "--out", str(out)]).exit_code == 0
    rows = {r.text: r for r in decision_rows(out)}
    # A removal for personal_attack teaches insult (c1); an approval is 0 for every label (c4); the site's
    # take-down for obscene teaches obscene through the obscenity head (c6); "other" says nothing (c3).
    assert rows[TEXTS["c1"]].labels["insult"] == 1 and rows[TEXTS["c4"]].labels["threat"] == 0
    assert TEXTS["c3"] not in rows and rows[TEXTS["c6"]].labels["obscene"] == 1


def test_an_edit_and_approve_is_a_label_on_the_text_the_moderator_replaced(app, db, submit, runner, scorer):
    from moderation.db.enums import DecisionAction
    from moderation.services.queue.accounts import create_user
    from moderation.services.queue.decide import Seen, edit_and_approve

    moderator = create_user(db, "kavya.moderator@chronicle.in", "moderator", "correct horse battery staple")
    comment = submit(comment_input_for("e1", "You are an idiot, minister")).comment
    edit_and_approve(db, app.extensions["moderation"].policies, scorer, moderator, comment.id,
                     Seen(comment.status, comment.queue, comment.revision), "You are wrong, minister", timeout_s=10)
    db.commit()
    rows = _rows(runner.invoke(args=["moderation", "export-decisions"]).stdout)
    assert [(r["text"], r["source_labels"]["decision"]) for r in rows] == [
        ("You are an idiot, minister", DecisionAction.EDIT_APPROVE.value)]
    assert rows[0]["source_labels"]["held_by"] == ["personal_attack"]
    assert set(rows[0]["clauses"].values()) == {None}
