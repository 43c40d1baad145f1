"""`flask moderation cases` on the newsroom sets, `score --site`, and `train-clauses` end to end (real model)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from moderation.scoring import bundled


def test_score_as_a_site_allows_its_own_domains_and_uses_its_policy(runner, make_site):
    make_site("Pune Mirror", domains=("punemirror.example.in",))
    own = runner.invoke(args=["moderation", "score", "--json", "--site", "Pune Mirror",
                              "More on this at https://news.punemirror.example.in/civic/roads"])
    assert own.exit_code == 0, own.output
    assert json.loads(own.output)["clauses"] == []
    outside = runner.invoke(args=["moderation", "score", "--json", "--site", "Pune Mirror",
                                  "More on this at https://elsewhere.example.com/roads"])
    assert [c["clause"] for c in json.loads(outside.output)["clauses"]] == ["outside_links"]


def test_score_site_errors_are_one_line(runner):
    missing = runner.invoke(args=["moderation", "score", "--site", "Nowhere Times", "hello"])
    assert missing.exit_code == 1 and "no site named 'Nowhere Times'" in missing.output
    both = runner.invoke(args=["moderation", "score", "--site", "X", "--policy", "default", "hello"])
    assert both.exit_code == 2 and "not both" in both.output


def _write_set(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_cases_reports_each_clause_with_a_breakdown_and_no_curve_on_the_test_set(runner, tmp_path):
    rows = [
        {"text": "The collector took a 10 lakh bribe from Sunrise Builders, everyone knows it.",
         "clause": "defamatory", "violates": True, "kind": "bribery", "script": "en"},
        {"text": "Police have booked the contractor for fraud, as per the FIR.",
         "clause": "defamatory", "violates": False, "kind": "attributed_report", "script": "en"},
        {"text": "Priya Sharma's new library in Nagpur is a lovely addition.",
         "clause": "none", "violates": False, "kind": "benign_identity", "script": "en"},
    ]
    _write_set(tmp_path / "newsroom" / "test.jsonl", rows)
    result = runner.invoke(args=["moderation", "cases", "--set", "test", "--dir", str(tmp_path), "--breakdown",
                                 "--curve"])
    assert "== test (frozen): 3 comments" in result.output
    assert "allegations to legal" in result.output and "1/1" in result.output.split("allegations to legal")[1][:40]
    assert "defamatory       en       violates    1 rows  held 100.0%  legal 100.0%" in result.output
    assert "curve" not in result.output  # operating points are chosen on the development split only


def _training_files(tmp_path):
    """A tiny shared file and a folder of written rows: enough for train-clauses to run end to end."""
    out = tmp_path / "weights"
    shutil.copytree(bundled.WEIGHTS_DIR, out)
    shared = tmp_path / "shared.jsonl"
    shared.write_text("".join(json.dumps({"id": f"s{i}", "source": "civil_comments_toxic_spans", "text": text,
                                          "labels": {"toxicity": tox, "insult": tox, "threat": worst,
                                                     "identity_attack": worst, "obscene": worst}}) + "\n"
                              for i, (text, tox, worst) in enumerate([("You are a complete idiot", 1, 0),
                                                                      ("Thanks for the clear report", 0, 0),
                                                                      ("I will shoot you and your shitty lot", 1, 1)]
                                                                     * 10)))
    written = tmp_path / "written"
    rows = []
    for i in range(30):
        rows += [{"text": f"Officer Verma {i} took bribes from every shop in sector {i}", "clause": "defamatory",
                  "violates": True, "script": "en"},
                 {"text": f"Police say officer Verma {i} is being questioned about sector {i}", "clause": "defamatory",
                  "violates": False, "script": "en"},
                 {"text": f"Chup kar bewakoof zorbakoof number {i}", "clause": "personal_attack", "violates": True,
                  "script": "hi-latn"},
                 {"text": f"Aaj match {i} mein maza aaya", "clause": "none", "violates": False, "script": "hi-latn"},
                 {"text": f"They should all be thrown out of city {i}", "clause": "inflammatory", "violates": True,
                  "threat": i % 2 == 0, "script": "en"},
                 {"text": f"What the f*** is this rubbish {i}", "clause": "obscene", "violates": True, "script": "en"}]
    _write_set(written / "rows.jsonl", rows)
    return out, ["--data", str(shared), "--written", str(written), "--out", str(out)]


def test_train_clauses_writes_hash_checked_heads_the_scorer_loads(runner, app, tmp_path):
    from moderation.scoring.factory import build_scorer

    out, args = _training_files(tmp_path)
    result = runner.invoke(args=["moderation", "train-clauses", *args])
    assert result.exit_code == 0, result.output
    assert "defamation_risk  development ROC-AUC" in result.output
    spec = json.loads((out / bundled.ENSEMBLE_NAME).read_text())
    assert spec["heads_sha256"] == bundled.sha256_file(out / bundled.HEADS_NAME)
    assert set(spec["calibration"]) == {"personal_attack", "inflammatory", "violent_threat", "defamation_risk",
                                        "obscenity"}
    scorer = build_scorer({**app.config, "BUNDLED_WEIGHTS_DIR": str(out)})
    scores = scorer.score(["Officer Verma 99 took bribes from every shop in sector 99"])
    assert "defamation_risk" in scores[0]


def test_train_clauses_can_refit_the_ngram_vocabulary_on_the_written_rows(runner, tmp_path):
    from moderation.scoring.ensemble import NGRAM_NAME
    from moderation.scoring.ngram import TfidfLogistic

    out, args = _training_files(tmp_path)
    before = TfidfLogistic.load(out / NGRAM_NAME)
    words_before = set(np.load(out / NGRAM_NAME)["word_vocab"].tolist())
    result = runner.invoke(args=["moderation", "train-clauses", "--refit-vocabulary", *args])
    assert result.exit_code == 0, result.output
    after = TfidfLogistic.load(out / NGRAM_NAME)
    assert after.fitted_labels == before.fitted_labels  # every label it scored, fitted again
    # the written rows' words are now in its vocabulary, and it reads them
    words_after = set(np.load(out / NGRAM_NAME)["word_vocab"].tolist())
    assert "zorbakoof" in words_after and "zorbakoof" not in words_before
    spec = json.loads((out / bundled.ENSEMBLE_NAME).read_text())
    assert spec["ngram_sha256"] == bundled.sha256_file(out / NGRAM_NAME)


@pytest.mark.parametrize("option", ["--set", "--curve"])
def test_cases_help_names_the_new_options(runner, option):
    assert option in runner.invoke(args=["moderation", "cases", "--help"]).output


def test_the_curve_gives_the_threshold_for_each_recall_and_what_it_holds():
    from moderation.benchmarks.newsroom_sets import Row, curve
    from moderation.enums import Action
    from moderation.policy.model import Named, Outcome

    def row(violates: bool) -> Row:
        return Row("x", "defamatory", violates, "", "en")

    def outcome(score: float) -> Outcome:
        return Outcome(Action.PUBLISH, None, (), {"defamation_risk": score}, "en", Named("m", "1"), Named("p", "1"))

    rows = [row(True)] * 10 + [row(False)] * 4
    results = [outcome(s / 10) for s in range(1, 11)] + [outcome(s) for s in (0.05, 0.25, 0.55, 0.95)]
    points = {p["recall"]: p for p in curve(rows, results)["defamatory"]}
    assert points[0.8]["threshold"] == 0.3  # 8 of the 10 violations score 0.3 or more
    assert points[0.8]["negatives_held"] == 0.5  # 0.55 and 0.95
    assert points[0.9]["threshold"] == 0.2 and points[0.9]["negatives_held"] == 0.75


def test_suite_reports_hateful_and_non_hateful_shares(runner, tmp_path):
    suite = tmp_path / "suite.jsonl"
    _write_set(suite, [
        {"text": "I will kill every one of them, I swear.", "label": "hateful", "functionality": "threat_dir_h"},
        {"text": "The new flyover opens on Monday, finally.", "label": "non-hateful",
         "functionality": "ident_neutral_nh"},
        {"text": "What a fucking mess this match was.", "label": "non-hateful", "functionality": "profanity_nh"},
    ])
    result = runner.invoke(args=["moderation", "suite", str(suite), "--functionalities"])
    assert "hateful cases held" in result.output and "1/1" in result.output
    assert "non-hateful cases held" in result.output and "0/1" in result.output
    assert "non-hateful, another guideline, held" in result.output  # swearing may be held: counted apart
    assert "threat_dir_h" in result.output and "ident_neutral_nh" in result.output
    assert result.exit_code == 0, result.output


def test_suite_refuses_a_row_without_a_label(runner, tmp_path):
    suite = tmp_path / "suite.jsonl"
    _write_set(suite, [{"text": "hello", "label": "maybe"}])
    result = runner.invoke(args=["moderation", "suite", str(suite)])
    assert result.exit_code == 1 and "suite.jsonl:1" in result.output


def _decisions_file(path, rows):
    path.write_text("".join(json.dumps({"id": f"decision-{i}", "source": "decisions:Pune Mirror", "lang": "en",
                                        "text": text, "labels": labels}) + "\n"
                            for i, (text, labels) in enumerate(rows)), encoding="utf-8")
    return path


def test_train_clauses_learns_a_sites_decisions_and_refuses_other_rows(runner, app, tmp_path):
    """A site's moderators remove a word the written rows never use; a round with their decisions scores it as a
    personal attack higher than the same round without them. Rows of another source are refused by name."""
    from moderation.scoring.factory import build_scorer

    text = "Typical glorbnik logic from you again"
    removed = [(f"You glorbnik number {i}, nobody asked", {"personal_attack": 1, "inflammatory": None})
               for i in range(40)]
    approved = [(f"Good point about ward {i} roads", {"personal_attack": 0, "inflammatory": 0}) for i in range(40)]
    decisions = _decisions_file(tmp_path / "decisions.jsonl", removed + approved)

    def trained(extra):
        out, args = _training_files(tmp_path / ("with" if extra else "without"))
        result = runner.invoke(args=["moderation", "train-clauses", *args, *extra])
        assert result.exit_code == 0, result.output
        scorer = build_scorer({**app.config, "BUNDLED_WEIGHTS_DIR": str(out)})
        return result.output, scorer.score([text])[0]["personal_attack"]

    output, with_decisions = trained(["--decisions", str(decisions), "--decisions-weight", "5"])
    assert "80 decisions" in output
    _, without = trained([])
    assert with_decisions > without + 0.2

    shared_row = tmp_path / "not-decisions.jsonl"
    shared_row.write_text(json.dumps({"id": "s1", "source": "olid", "text": "hello", "labels": {}}) + "\n")
    refused = runner.invoke(args=["moderation", "train-clauses", "--decisions", str(shared_row),
                                  *_training_files(tmp_path / "refused")[1]])
    assert refused.exit_code == 1 and "is not an exported decision" in refused.output


def test_heads_holdout_judges_a_round_left_out_and_names_an_unknown_one(runner, tmp_path):
    _, args = _training_files(tmp_path)
    written = tmp_path / "written"
    (written / "rows.jsonl").rename(written / "round1_rows.jsonl")
    _write_set(written / "round2_attacks.jsonl",
               [{"text": f"You brainless clown {i}, nobody reads your drivel", "clause": "personal_attack",
                 "violates": True, "script": "en"} for i in range(25)]
               + [{"text": f"I disagree with point {i} of the article on water tariffs", "clause": "personal_attack",
                   "violates": False, "script": "en"} for i in range(25)])
    shared_and_written = args[:4]  # --data FILE --written DIR
    result = runner.invoke(args=["moderation", "heads-holdout", "--round", "round2", *shared_and_written,
                                 "--written-weight", "3", "--written-weight", "8", "--epochs", "20", "--hidden", "32"])
    assert result.exit_code == 0, result.output
    assert "written weight 3, round 'round2' left out:" in result.output
    assert "written weight 8, round 'round2' left out:" in result.output
    line = next(x for x in result.output.splitlines() if x.strip().startswith("personal_attack"))
    assert "25 violations,    25 hard negatives" in line
    masked = runner.invoke(args=["moderation", "heads-holdout", "--round", "round2", *shared_and_written,
                                 "--mask-groups", "--epochs", "20", "--hidden", "32"])
    assert masked.exit_code == 0, masked.output
    assert "25 violations,    25 hard negatives" in next(
        x for x in masked.output.splitlines() if x.strip().startswith("personal_attack"))
    missing = runner.invoke(args=["moderation", "heads-holdout", "--round", "round9", *shared_and_written])
    assert missing.exit_code == 1 and "no written file's name starts with 'round9'" in missing.output
