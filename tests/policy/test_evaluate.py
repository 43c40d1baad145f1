"""Policy evaluation from tables of fixed scores and findings (no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.config import PROJECT_ROOT
from moderation.detectors.base import Finding, Span
from moderation.enums import Action, Lane
from moderation.errors import PolicyError
from moderation.policy.evaluate import Signals, evaluate, fired_labels
from moderation.policy.loader import load_policy
from moderation.policy.model import Named

MODEL = Named("test-model", "1")
CALM = {"toxicity": 0.01, "obscene": 0.01, "insult": 0.01, "threat": 0.01, "identity_attack": 0.01}


@pytest.fixture(scope="module")
def policy():
    return load_policy(PROJECT_ROOT / "policies" / "default.toml")


def finding(signal: str, start: int = 0, end: int = 4, text: str = "xxxx", score: float = 1.0) -> Finding:
    return Finding(signal, score, (Span(start, end, text),))


CASES = [
    # (scores override, findings, language, action, lane, fired clauses)
    ({}, (), "en", Action.PUBLISH, None, []),
    ({"insult": 0.7}, (), "en", Action.REVIEW, Lane.REVIEW, ["personal_attack"]),
    ({"insult": 0.97}, (), "en", Action.REJECT, None, ["personal_attack"]),
    ({"obscene": 0.55}, (), "en", Action.REVIEW, Lane.REVIEW, ["obscene"]),
    # word lists count where the model agrees (`confirm`): a listed word the model reads as innocent publishes
    ({"obscene": 0.2}, (finding("banned_words"),), "en", Action.REJECT, None, ["obscene"]),
    ({}, (finding("banned_words"),), "en", Action.PUBLISH, None, []),
    ({"obscene": 0.2}, (finding("suspect_words"),), "en", Action.REVIEW, Lane.REVIEW, ["obscene"]),
    ({}, (finding("suspect_words"),), "en", Action.PUBLISH, None, []),
    ({"insult": 0.4}, (finding("insult_words"),), "en", Action.REVIEW, Lane.REVIEW, ["personal_attack"]),
    ({}, (finding("insult_words"),), "en", Action.PUBLISH, None, []),
    ({}, (finding("links"),), "en", Action.REVIEW, Lane.REVIEW, ["outside_links"]),
    ({}, (finding("defamation"),), "en", Action.REVIEW, Lane.LEGAL, ["defamatory"]),
    ({"insult": 0.7}, (finding("defamation"),), "en", Action.REVIEW, Lane.LEGAL, ["personal_attack", "defamatory"]),
    ({"obscene": 0.2}, (finding("defamation"), finding("banned_words")), "en", Action.REJECT, None,
     ["obscene", "defamatory"]),
    ({"identity_attack": 0.7}, (), "en", Action.REVIEW, Lane.REVIEW, ["inflammatory"]),
    ({}, (finding("threat"),), "en", Action.REVIEW, Lane.REVIEW, ["threats"]),
    ({"toxicity": 0.85}, (), "en", Action.PUBLISH, None, []),
    ({}, (), "other", Action.REVIEW, Lane.REVIEW, []),
    ({}, (), "hi-latn", Action.PUBLISH, None, []),
]


@pytest.mark.parametrize(("override", "findings", "language", "action", "lane", "clauses"), CASES)
def test_outcome_table(policy, override, findings, language, action, lane, clauses):
    outcome = evaluate(policy, Signals({**CALM, **override}, findings, language), MODEL)
    assert outcome.action is action
    assert outcome.lane is lane
    assert sorted(c.clause for c in outcome.clauses) == sorted(clauses)
    assert outcome.model == MODEL
    assert outcome.policy == Named(policy.name, policy.version)


def test_most_severe_clause_comes_first_and_carries_spans(policy):
    spans = {"insult": (Span(10, 20, "you idiot!"),)}
    outcome = evaluate(policy, Signals({**CALM, "insult": 0.7, "obscene": 0.3}, (finding("banned_words", 0, 4, "shit"),), "en", spans), MODEL)
    assert [c.clause for c in outcome.clauses] == ["obscene", "personal_attack"]
    assert outcome.clauses[0].spans == (Span(0, 4, "shit"),)
    assert outcome.clauses[1].spans == spans["insult"]
    assert outcome.clauses[1].reason == policy.clause("personal_attack").reason


def test_language_hold_is_explained(policy):
    outcome = evaluate(policy, Signals(CALM, (), "other"), MODEL)
    assert outcome.holds == ("language:other",)
    assert outcome.to_dict()["holds"] == ["language:other"]


def test_outcome_json_shape(policy):
    outcome = evaluate(policy, Signals({**CALM, "insult": 0.7}, (finding("links", 3, 10, "bit.ly/x"),), "en"), MODEL)
    data = outcome.to_dict()
    assert set(data) >= {"action", "lane", "clauses", "scores", "language", "model", "policy"}
    assert data["action"] == "review" and data["lane"] == "review"
    assert {c["clause"] for c in data["clauses"]} == {"personal_attack", "outside_links"}
    link = next(c for c in data["clauses"] if c["clause"] == "outside_links")
    assert link["spans"] == [{"start": 3, "end": 10, "text": "bit.ly/x"}]
    assert data["model"] == {"name": "test-model", "version": "1"}


def test_fired_labels_reports_lowest_band(policy):
    assert fired_labels(policy, {**CALM, "insult": 0.65, "toxicity": 0.5}) == {"insult": 0.6}


def test_detector_min_score(tmp_path: Path):
    path = tmp_path / "p.toml"
    path.write_text(
        'name = "p"\nversion = "1"\n[[clauses]]\nid = "outside_links"\ntitle = "t"\nreason = "r"\n'
        'detectors = [{ signal = "links", action = "review", min_score = 0.8 }]\n'
    )
    policy = load_policy(path)
    assert evaluate(policy, Signals(CALM, (finding("links", score=0.5),)), MODEL).action is Action.PUBLISH
    assert evaluate(policy, Signals(CALM, (finding("links", score=0.9),)), MODEL).action is Action.REVIEW


def test_detector_confirmed_by_the_model(tmp_path: Path):
    path = tmp_path / "p.toml"
    path.write_text(
        'name = "p"\nversion = "1"\n[[clauses]]\nid = "obscene"\ntitle = "t"\nreason = "r"\n'
        'detectors = [{ signal = "suspect_words", action = "review", confirm = { obscenity = 0.05, insult = 0.5 } }]\n'
    )
    policy = load_policy(path)
    found = (finding("suspect_words", score=0.6),)
    # "My saala got posted to Leh": the word is on the list, the model reads it as innocent
    assert evaluate(policy, Signals({**CALM, "obscenity": 0.01, "insult": 0.1}, found), MODEL).action is Action.PUBLISH
    # either listed label reaching its minimum confirms the finding
    assert evaluate(policy, Signals({**CALM, "obscenity": 0.2, "insult": 0.1}, found), MODEL).action is Action.REVIEW
    assert evaluate(policy, Signals({**CALM, "obscenity": 0.0, "insult": 0.7}, found), MODEL).action is Action.REVIEW
    # a scorer that gives none of the labels leaves the detector as it was
    assert evaluate(policy, Signals({"toxicity": 0.01}, found), MODEL).action is Action.REVIEW
    assert evaluate(policy, Signals({**CALM, "obscenity": 0.9}, ()), MODEL).action is Action.PUBLISH


def test_a_quoted_finding_is_confirmed_by_its_own_labels(tmp_path: Path):
    path = tmp_path / "p.toml"
    path.write_text(
        'name = "p"\nversion = "1"\n[[clauses]]\nid = "obscene"\ntitle = "t"\nreason = "r"\n'
        'detectors = [{ signal = "banned_words", action = "reject", confirm = { obscenity = 0.05, obscene = 0.05 }, '
        'confirm_quoted = { obscenity = 0.5 } }]\n'
    )
    policy = load_policy(path)
    used = (Finding("banned_words", 1.0, (Span(10, 17, "bastard"),)),)
    quoted = (Finding("banned_words", 1.0, (Span(10, 17, "bastard"),), quoted=True),)
    # "The FIR says he called the guard a 'bastard'": the encoder's obscene label scores the word itself
    reported = {**CALM, "obscene": 0.3, "obscenity": 0.1}
    assert evaluate(policy, Signals(reported, used), MODEL).action is Action.REJECT
    assert evaluate(policy, Signals(reported, quoted), MODEL).action is Action.PUBLISH
    # quotation marks around abuse aimed at someone: the obscenity head holds it, so the word still rejects
    assert evaluate(policy, Signals({**CALM, "obscenity": 0.8}, quoted), MODEL).action is Action.REJECT
    # the shipped policy reads a quoted listed word so
    shipped = load_policy(PROJECT_ROOT / "policies" / "default.toml")
    assert evaluate(shipped, Signals(reported, quoted), MODEL).action is Action.PUBLISH
    assert evaluate(shipped, Signals(reported, used), MODEL).action is Action.REJECT
    # without `confirm_quoted`, a quoted finding is confirmed like any other
    path.write_text(path.read_text().replace(", confirm_quoted = { obscenity = 0.5 }", ""))
    assert evaluate(load_policy(path), Signals(reported, quoted), MODEL).action is Action.REJECT


def test_detector_confirm_names_known_labels(tmp_path: Path):
    path = tmp_path / "p.toml"
    path.write_text(
        'name = "p"\nversion = "1"\n[[clauses]]\nid = "obscene"\ntitle = "t"\nreason = "r"\n'
        'detectors = [{ signal = "suspect_words", action = "review", confirm = { obscenty = 0.05 } }]\n'
    )
    with pytest.raises(PolicyError, match="obscene.*confirm"):
        load_policy(path)


def test_a_calibrated_policy_confirms_detectors_on_its_own_scale(tmp_path: Path):
    import dataclasses

    from moderation.policy.model import Calibration, LabelCalibration

    path = tmp_path / "p.toml"
    path.write_text(
        'name = "p"\nversion = "1"\n[[clauses]]\nid = "obscene"\ntitle = "t"\nreason = "r"\n'
        'detectors = [{ signal = "suspect_words", action = "review", confirm = { obscenity = 0.1 } }]\n'
    )
    policy = load_policy(path)
    found = (finding("suspect_words", score=0.6),)
    signals = Signals({**CALM, "obscenity": 0.2}, found)
    assert evaluate(policy, signals, MODEL).action is Action.REVIEW
    # this site's moderators remove almost none of the comments the model scores 0.2: the minimum reads that
    lowered = dataclasses.replace(policy, calibration=Calibration(
        "site-1", "1", {"obscenity": LabelCalibration(a=1.0, b=-3.0)}))
    assert evaluate(lowered, signals, MODEL).action is Action.PUBLISH
