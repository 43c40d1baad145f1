"""`flask moderation score | evaluate | train | bench | policy check` with the real model."""

from __future__ import annotations

import json

from tests.scoring.sample import write_sample


def test_score_prints_a_readable_outcome(runner):
    result = runner.invoke(args=["moderation", "score", "You are an idiot. Read www.fakenews.example.com now"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("REVIEW")
    assert "outside_links" in result.output and "personal_attack" in result.output
    assert "www.fakenews.example.com" in result.output


def test_score_json_shape(runner):
    result = runner.invoke(args=["moderation", "score", "--json", "Thanks for the balanced report."])
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.output)
    assert outcome["action"] == "publish" and outcome["lane"] is None and outcome["clauses"] == []
    assert set(outcome["scores"]) >= {"toxicity", "obscene", "insult", "threat", "identity_attack"}
    assert outcome["model"]["name"].startswith("bundled-minilm") and outcome["policy"]["name"] == "default"
    assert outcome["language"] == "en"


def test_score_reads_json_lines_from_stdin(runner):
    lines = [{"id": f"c{i}", "text": text} for i, text in enumerate(
        ["Nice piece.", "Shut up you moron", "Ramesh Kumar took a bribe of 5 lakh from the contractor."] * 30)]
    result = runner.invoke(args=["moderation", "score", "--json", "--batch-size", "16", "-"],
                           input="".join(json.dumps(line) + "\n" for line in lines))
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == [line["id"] for line in lines]
    assert out[0]["action"] == "publish" and out[1]["action"] != "publish" and out[2]["lane"] == "legal"


def test_bad_stdin_lines_get_an_error_line_in_place_and_lose_nothing(runner):
    lines = ['{"id": 1, "text": "Nice piece."}', '{"id": 2}', "not json", "",
             '{"id": 4, "text": "Shut up you moron"}', '["a list"]', '{"id": 6, "text": 7}']
    result = runner.invoke(args=["moderation", "score", "--json", "--batch-size", "2", "-"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], o.get("line"), "action" in o) for o in out] == [
        (1, None, True), (2, 2, False), (None, 3, False), (4, None, True), (None, 6, False), (6, 7, False)]
    assert 'string "text"' in out[1]["error"] and "Expecting value" in out[2]["error"]
    assert "stdin line 2" in result.stderr and "4 line(s) could not be read" in result.stderr


def test_texts_the_api_would_refuse_are_refused_line_by_line(runner):
    lines = ['{"id": "a", "text": "Nice piece."}', '{"id": "b", "text": "\\udc80 hello"}', '{"id": "c", "text": "   "}',
             '{"id": "d", "text": "nul \\u0000 here"}', '{"id": "e", "text": "Shut up you moron"}']
    result = runner.invoke(args=["moderation", "score", "--json", "-"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], "action" in o) for o in out] == [("a", True), ("b", False), ("c", False), ("d", False), ("e", True)]
    assert "surrogate" in out[1]["error"] and "empty" in out[2]["error"] and "NUL" in out[3]["error"]
    single = runner.invoke(args=["moderation", "score", "  "])
    assert single.exit_code == 2 and "empty" in single.output


def _one_clause_policy(path, label_signal):
    """A policy file with one `obscene` clause fed by `label_signal` (TOML inline table), for `policy check`."""
    path.write_text('name = "x"\nversion = "1"\n[[clauses]]\nid = "obscene"\ntitle = "t"\nreason = "r"\n'
                    f"labels = [{label_signal}]\n")
    return path


def test_policy_check(runner, tmp_path):
    ok = runner.invoke(args=["moderation", "policy", "check"])
    assert ok.exit_code == 0 and "ok: default" in ok.output
    bad = _one_clause_policy(tmp_path / "bad.toml", '{ label = "obscene", review = 2 }')
    result = runner.invoke(args=["moderation", "policy", "check", str(bad)])
    assert result.exit_code != 0
    assert "bad.toml" in result.output and "clause 'obscene'" in result.output


def test_policy_check_names_a_label_the_model_does_not_give(runner, tmp_path):
    unknown = _one_clause_policy(tmp_path / "severe.toml", '{ label = "severe_toxicity", review = 0.5 }')
    result = runner.invoke(args=["moderation", "policy", "check", str(unknown)])
    assert result.exit_code != 0
    assert "clause 'obscene' uses label 'severe_toxicity'" in result.output and "toxicity, obscene" in result.output


def test_evaluate_json_with_baselines(runner, tmp_path):
    data = write_sample(tmp_path / "sample.jsonl", copies=3)
    train_data = write_sample(tmp_path / "train.jsonl", copies=8, tag="train")
    per_row = tmp_path / "scores.jsonl"
    result = runner.invoke(args=["moderation", "evaluate", "--data", str(data), "--compare", "--train-data", str(train_data),
                                 "--scores", str(per_row), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["model"]["name"].startswith("bundled-minilm")
    toxicity = report["labels"]["toxicity"]
    assert toxicity["n"] == 30 and toxicity["positives"] == 12 and toxicity["roc_auc"] > 0.9
    assert toxicity["roc_auc_ci"][0] <= toxicity["roc_auc"] <= toxicity["roc_auc_ci"][1]
    assert "insult" in report["by_source"]["news"]
    assert set(report["baselines"]) == {"alt-profanity-check", "tfidf-lr"}
    assert report["baselines"]["tfidf-lr"]["labels"]["toxicity"]["n"] == 30
    assert 0 <= report["baselines"]["tfidf-lr"]["labels"]["toxicity"]["p_vs_model"] <= 1

    lines = [json.loads(line) for line in per_row.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 30 and {line["source"] for line in lines} == {"news", "tweets"}
    toxic = [line for line in lines if line["labels"]["toxicity"] == 1]
    assert len(toxic) == 12 and toxic[0]["labels"]["obscene"] is None
    assert min(line["scores"]["toxicity"] for line in toxic) > max(
        line["scores"]["toxicity"] for line in lines if line["labels"]["toxicity"] == 0)
    assert set(lines[0]["baselines"]) == {"alt-profanity-check", "tfidf-lr"}
    assert 0 <= lines[0]["baselines"]["tfidf-lr"]["toxicity"] <= 1


def test_evaluate_refuses_a_scores_file_it_could_not_write(runner, tmp_path):
    data = write_sample(tmp_path / "sample.jsonl", copies=1)
    result = runner.invoke(args=["moderation", "evaluate", "--data", str(data), "--scores", str(tmp_path / "no" / "s.jsonl")])
    assert result.exit_code == 2 and "no such directory" in result.output


def test_evaluate_prints_a_table(runner, tmp_path):
    data = write_sample(tmp_path / "sample.jsonl", copies=2)
    result = runner.invoke(args=["moderation", "evaluate", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "ROC-AUC" in result.output and "tweets" in result.output and "news" in result.output
    assert "95% interval" in result.output


def test_a_lora_stage_needs_weights_to_start_from(runner, tmp_path):
    data = write_sample(tmp_path / "train.jsonl")
    result = runner.invoke(args=["moderation", "train", "--data", str(data), "--lora-rank", "8", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "--lora-rank needs --base-weights" in result.output
    assert not (tmp_path / "minilm-toxic.json").exists()


def test_bench_json_keys(runner):
    result = runner.invoke(args=["moderation", "bench", "--json", "--limit", "24", "--singles", "4"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    for key in ("single_p50_ms", "single_p95_ms", "batched_comments_per_s", "bert_base_single_p50_ms",
                "bert_base_batched_comments_per_s", "rss_mb"):
        assert figures[key] > 0
    assert figures["single_p95_ms"] >= figures["single_p50_ms"]


def test_a_comment_without_letters_is_not_held_as_an_uncovered_language(runner):
    for text in ("👍", "🙏🙏", "+1", "100%"):
        result = runner.invoke(args=["moderation", "score", "--json", text])
        outcome = json.loads(result.output)
        assert (outcome["language"], outcome["action"]) == ("none", "publish"), text


def test_a_comment_in_another_latin_script_language_goes_to_a_person(runner):
    outcome = json.loads(runner.invoke(args=["moderation", "score", "--json", "Das ist ein sehr guter Artikel"]).output)
    assert (outcome["language"], outcome["action"]) == ("other", "review")
