"""Detector-level acceptance rates on the newsroom case sets."""

from __future__ import annotations

import pytest

from moderation.detectors.defamation import find_defamation
from moderation.detectors.links import find_links
from moderation.detectors.registry import detect_all
from moderation.detectors.threats import find_threats
from moderation.detectors.wordlists import find_words

LISTS = ("en", "hinglish", "devanagari")
ABUSE_SIGNALS = {"banned_words", "suspect_words", "insult_words", "threat"}


@pytest.mark.parametrize("name", ["benign_identity", "obfuscated_abuse", "links", "defamation",
                                  "hinglish_devanagari"])
def test_each_set_is_large_enough(cases, name):
    assert len(cases(name)) >= 50


def test_obfuscated_abuse_is_caught_by_word_lists(cases):
    rows = cases("obfuscated_abuse")
    missed = [r["text"] for r in rows if not find_words(r["text"], LISTS)]
    assert (len(rows) - len(missed)) / len(rows) >= 0.90, missed


def test_every_outside_link_is_caught_and_own_domain_never(cases):
    rows = cases("links")
    link_rows = [r for r in rows if r["link"] and not r["own"]]
    own_rows = [r for r in rows if r["own"]]
    assert len(own_rows) >= 5 and len(link_rows) >= 40
    missed = [r["text"] for r in link_rows if not find_links(r["text"], r["allowed_domains"])]
    assert missed == []
    own_flagged = [r["text"] for r in own_rows if find_links(r["text"], r["allowed_domains"])]
    assert own_flagged == []
    plain_flagged = [r["text"] for r in rows if not r["link"] and find_links(r["text"], r["allowed_domains"])]
    assert plain_flagged == []


def test_own_domain_rows_are_outside_links_for_another_site(cases):
    own_rows = [r for r in cases("links") if r["own"]]
    assert all(find_links(r["text"], ["othersite.com"]) for r in own_rows)


def test_defamation_allegations_flagged_and_others_mostly_not(cases):
    rows = cases("defamation")
    allegations = [r for r in rows if r["kind"] == "allegation"]
    others = [r for r in rows if r["kind"] != "allegation"]
    assert len(allegations) >= 50 and len(others) >= 50
    assert {r["kind"] for r in others} == {"opinion", "attributed", "question", "no_one"}
    caught = [r for r in allegations if find_defamation(r["text"])]
    flagged = [r["text"] for r in others if find_defamation(r["text"])]
    assert len(caught) / len(allegations) >= 0.80, [r["text"] for r in allegations if r not in caught]
    assert len(flagged) / len(others) <= 0.10, flagged


def _abusive(text: str) -> bool:
    return bool(find_words(text, LISTS) or find_threats(text))


def test_hinglish_and_devanagari_abuse_caught_benign_left_alone(cases):
    rows = cases("hinglish_devanagari")
    abusive = [r for r in rows if r["abusive"]]
    benign = [r for r in rows if not r["abusive"]]
    assert len(abusive) >= 50 and len(benign) >= 50
    assert {r["script"] for r in abusive} == {"hi-latn", "hi-deva"}
    missed = [r["text"] for r in abusive if not _abusive(r["text"])]
    flagged = [r["text"] for r in benign if _abusive(r["text"])]
    assert (len(abusive) - len(missed)) / len(abusive) >= 0.80, missed
    assert len(flagged) / len(benign) <= 0.10, flagged


def test_benign_identity_comments_raise_no_content_findings(cases):
    rows = cases("benign_identity")
    content = {"banned_words", "suspect_words", "insult_words", "threat", "defamation"}
    flagged = [r["text"] for r in rows if detect_all(r["text"]).signals() & content]
    assert (len(rows) - len(flagged)) / len(rows) >= 0.98, flagged


def test_language_of_hinglish_and_devanagari_rows(cases):
    rows = cases("hinglish_devanagari")
    wrong = [r["text"] for r in rows if detect_all(r["text"]).language != r["script"]]
    assert len(wrong) / len(rows) <= 0.05, wrong


def test_english_case_sets_read_as_english(cases):
    rows = cases("benign_identity") + cases("defamation")
    assert [r["text"] for r in rows if detect_all(r["text"]).language != "en"] == []
