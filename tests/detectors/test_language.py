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
    ("Du bist ein Idiot und dumm", Script.OTHER),  # Latin letters, another language: the model reads English
    ("C'est une honte, ce gouvernement ment toujours", Script.OTHER),
    ("Isso é uma vergonha, você não sabe nada", Script.OTHER),
    ("Saya tidak suka berita ini", Script.OTHER),
    ("lol u knw dem project folks be having dem light brown roaches we call dem water bugs", Script.ENGLISH),
    ("Modi is a con man and his son is too", Script.ENGLISH),
    ("Los Angeles and Las Vegas are in the USA", Script.ENGLISH),
    ("Los Angeles vs Las Vegas", Script.ENGLISH),
    ("El Niño et al", Script.ENGLISH),
    ("Yang et al", Script.ENGLISH),
    ("Dit is geen goed artikel", Script.OTHER),
    ("Questo governo è una vergogna", Script.OTHER),
    ("Mera des mahan, sur aur taal se bharpoor", Script.HINGLISH),
])
def test_scripts(text, script):
    assert detect_script(text) is script


def test_one_hinglish_word_in_english_stays_english():
    assert detect_script("The minister said the scheme is sahi for farmers and will help the poor.") is Script.ENGLISH
