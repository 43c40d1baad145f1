"""The heads' masked view: group names replaced, the rest of the comment as written, a flag where one was named."""

from __future__ import annotations

import numpy as np
import pytest

from moderation.scoring.group_mask import mask_groups, with_masked_view


@pytest.mark.parametrize(("text", "masked"), [
    ("Disabled people are a burden.", "people people are a burden."),
    ("Muslims and Dalits voted together here.", "people and people voted together here."),
    ("Trans women deserve respect", "people people deserve respect"),
    ("ye musalman log aise hi hote hain", "ye log log aise hi hote hain"),
    ("ये मुसलमान हर जगह हैं", "ये लोग हर जगह हैं"),
])
def test_group_names_are_masked(text, masked):
    assert mask_groups(text) == masked


@pytest.mark.parametrize("text", [
    "Blackburn Rovers won at home", "The transport minister resigned", "Whitewash of the report", "Great innings!",
])
def test_words_that_only_contain_a_group_name_are_left(text):
    assert mask_groups(text) == text


def test_the_masked_view_reads_the_masked_text_and_flags_a_named_group():
    seen: list[str] = []

    def extract(texts):
        seen.extend(texts)
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)

    features = with_masked_view(extract)(["Gays are a menace", "Lovely weather"])
    assert seen == ["people are a menace", "Lovely weather"]
    assert features.shape == (2, 3)
    assert features[:, 0].tolist() == [19.0, 14.0] and features[:, 2].tolist() == [1.0, 0.0]
