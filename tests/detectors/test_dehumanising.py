"""Dehumanising language about groups of people: caught with its span; animals, diseases and idioms left alone."""

from __future__ import annotations

import pytest

from moderation.detectors.dehumanising import SIGNAL, find_dehumanising
from moderation.detectors.registry import detect_all


@pytest.mark.parametrize(("text", "span"), [
    ("Muslims are vermin and should be treated like rats.", "Muslims are vermin"),
    ("Pakistani fans are dirty animals, all of them.", "Pakistani fans are dirty animals"),
    ("These people should all be thrown out of the country, they are a disease.", "they are a disease"),
    ("Dalits are parasites living off quotas.", "Dalits are parasites"),
    ("Those people are just a bunch of savages.", "Those people are just a bunch of savages"),
    ("Rohingyas are termites eating the country", "Rohingyas are termites"),
    ("Bhakts are nothing but filthy pigs", "Bhakts are nothing but filthy pigs"),
    ("These traitors must be crushed like cockroaches.", "must be crushed like cockroaches"),
    ("BIHARIS ARE COCKROACHES", "BIHARIS ARE COCKROACHES"),
])
def test_a_group_called_animals_vermin_or_a_disease_is_found(text, span):
    findings = find_dehumanising(text)
    assert [f.signal for f in findings] == [SIGNAL]
    assert span in [s.text for s in findings[0].spans]
    start = text.index(span)
    assert any((s.start, s.end) == (start, start + len(span)) for s in findings[0].spans)


@pytest.mark.parametrize("text", [
    "Dogs are animals too, and deserve kindness.",
    "Cancer is a disease we must fund research for.",
    "My kids are little monsters at bedtime.",
    "The Hindus are a diverse people with many traditions.",
    "They were treated like animals in the camp, a shame on all of us.",
    "Immigrants are a boon to the economy.",
    "Kohli is a beast with the bat.",
    "I distrust them because they are pig ignorant.",
    "Politicians are snakes, every one of them.",  # rude about an occupation, not people for who they are
])
def test_animals_diseases_idioms_and_sympathy_are_left_alone(text):
    assert find_dehumanising(text) == []


def test_the_registry_reports_it_with_the_other_detectors():
    assert "dehumanising" in detect_all("Muslims are vermin.").signals()
