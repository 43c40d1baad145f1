"""Evidence for model-label clauses: the sentence that drives the score, with offsets into the original."""

from __future__ import annotations

from moderation.services.comments.scoring import score_texts
from moderation.services.comments.sentences import split_sentences


def test_sentences_keep_offsets_and_do_not_split_numbers_or_domains():
    text = "GDP grew 3.5 percent.  Read www.example.in now!\nनया बजट आया। अच्छा है"
    parts = split_sentences(text)
    assert [p.text for p in parts] == ["GDP grew 3.5 percent.", "Read www.example.in now!", "नया बजट आया।", "अच्छा है"]
    assert all(text[p.start:p.end] == p.text for p in parts)


def test_insult_evidence_is_the_insulting_sentence(scorer, policy):
    text = ("The budget allocates more money to rural roads this year. The finance minister spoke for an hour. "
            "Whoever wrote this article is a worthless pathetic moron.")
    (outcome,) = score_texts(scorer, policy, [text])
    attack = next(c for c in outcome.clauses if c.clause == "personal_attack")
    assert any("moron" in span.text for span in attack.spans)
    assert all(text[s.start:s.end] == s.text for s in attack.spans)
    assert not any("budget" in span.text for span in attack.spans)


def test_no_evidence_pass_keeps_the_decision(scorer, policy):
    text = "Nice photos of the Durga Puja pandals. You are a stupid clown though."
    (full,) = score_texts(scorer, policy, [text])
    (quick,) = score_texts(scorer, policy, [text], evidence=False)
    assert (full.action, full.lane) == (quick.action, quick.lane)
    assert [c.clause for c in full.clauses] == [c.clause for c in quick.clauses]
