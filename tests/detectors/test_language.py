"""Script and language family of a comment."""

from __future__ import annotations

import pytest

from moderation.detectors.language import detect_script
from moderation.enums import Script


@pytest.mark.parametrize("text, script", [
    ("The budget is good for the middle class.", Script.ENGLISH),
    ("Bhai ye article bahut accha hai", Script.HINGLISH),
    ("yeh sarkar kuch nahi karti, sab jhooth hai", Script.HINGLISH),
    ("बहुत अच्छा लेख है", Script.DEVANAGARI),
    ("Modi ji ka bhashan accha tha but the data is weak", Script.HINGLISH),
    ("இது நல்ல செய்தி", Script.OTHER),
    ("এটা ভালো খবর", Script.OTHER),
    ("یہ اچھی خبر ہے", Script.OTHER),
    ("GST 2.0 is here", Script.ENGLISH),
    ("", Script.NONE),
    ("12345 !!!", Script.NONE),
    ("👍🙏", Script.NONE),
    ("बहुत अच्छा लेख, good job", Script.DEVANAGARI),
])
def test_scripts(text, script):
    assert detect_script(text) is script


def test_one_hinglish_word_in_english_stays_english():
    assert detect_script("The minister said the scheme is sahi for farmers and will help the poor.") is Script.ENGLISH
