"""The newsroom's acceptance rates on tests/cases/*.jsonl, through the full outcome (real model + detectors + policy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation.enums import Action, Lane
from moderation.services.scoring import score_texts

CASES = Path(__file__).resolve().parent.parent / "cases"


def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (CASES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line]


def outcomes(scorer, policy, cases, **kwargs):
    return [score_texts(scorer, policy, [c["text"]], **kwargs)[0] for c in cases]


def rate(flags) -> float:
    flags = list(flags)
    return sum(flags) / len(flags)


def test_benign_identity_mentions_are_rarely_held(scorer, policy):
    cases = rows("benign_identity")
    assert len(cases) >= 50
    held = [o.action is not Action.PUBLISH for o in outcomes(scorer, policy, cases)]
    assert rate(held) <= 0.02, [c["text"] for c, h in zip(cases, held) if h]


def test_obfuscated_abuse_is_caught(scorer, policy):
    cases = rows("obfuscated_abuse")
    assert len(cases) >= 50
    caught = [o.action is not Action.PUBLISH for o in outcomes(scorer, policy, cases)]
    assert rate(caught) >= 0.90, [c["text"] for c, h in zip(cases, caught) if not h]


def test_hinglish_and_devanagari(scorer, policy):
    cases = rows("hinglish_devanagari")
    abusive = [c for c in cases if c["abusive"]]
    benign = [c for c in cases if not c["abusive"]]
    assert len(abusive) >= 50 and len(benign) >= 50
    assert rate(o.action is not Action.PUBLISH for o in outcomes(scorer, policy, abusive)) >= 0.80
    assert rate(o.action is not Action.PUBLISH for o in outcomes(scorer, policy, benign)) <= 0.10


def test_defamation_goes_to_legal_review(scorer, policy):
    cases = rows("defamation")
    allegations = [c for c in cases if c["kind"] == "allegation"]
    others = [c for c in cases if c["kind"] != "allegation"]
    assert len(allegations) >= 50 and len(others) >= 50
    assert rate(o.lane is Lane.LEGAL for o in outcomes(scorer, policy, allegations)) >= 0.80
    assert rate(o.lane is Lane.LEGAL for o in outcomes(scorer, policy, others)) <= 0.10


@pytest.mark.parametrize("own", [False, True])
def test_links(scorer, policy, own):
    cases = [c for c in rows("links") if c.get("link") and bool(c.get("own")) is own]
    assert cases
    for case in cases:
        outcome = score_texts(scorer, policy, [case["text"]], site_domains=case.get("allowed_domains", ()))[0]
        flagged = any(c.clause == "outside_links" for c in outcome.clauses)
        assert flagged is not own, case["text"]
