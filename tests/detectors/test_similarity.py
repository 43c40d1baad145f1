"""Near-identical texts: copies with small changes share a group, readers' own words do not."""

from __future__ import annotations

import subprocess
import sys

from moderation.detectors.similarity import (
    band_keys,
    clusters,
    from_bytes,
    signature,
    signatures,
    similar,
    to_bytes,
)

CAMPAIGN = ("The minister has done more for this district than anyone in twenty years. "
            "Vote for progress, vote for the minister on Sunday!")
COPIES = [
    CAMPAIGN,
    CAMPAIGN.upper(),
    CAMPAIGN.replace("twenty", "30"),
    CAMPAIGN.replace("!", "!!!").replace(" ", "  "),
    CAMPAIGN.replace("on Sunday", "this Sunday"),
]
OWN_WORDS = [
    "The bridge repairs were promised two years ago and nothing has happened since.",
    "I disagree with the columnist: the budget does little for small farmers.",
    "Vote on Sunday, whoever you choose; turnout was poor last time.",
    "Excellent reporting on the water shortage, please follow up next month.",
]


def test_copies_with_small_changes_are_similar():
    base = signature(CAMPAIGN)
    assert all(similar(base, signature(copy)) for copy in COPIES)


def test_different_comments_on_the_same_subject_are_not():
    base = signature(CAMPAIGN)
    assert not any(similar(base, signature(text)) for text in OWN_WORDS)
    sigs = signatures(OWN_WORDS)
    assert not any(similar(a, b) for i, a in enumerate(sigs) for b in sigs[i + 1:])


def test_clusters_put_the_copies_together_and_leave_the_rest_out():
    texts = [OWN_WORDS[0], *COPIES[:3], OWN_WORDS[1], *COPIES[3:], OWN_WORDS[2]]
    groups = clusters(signatures(texts))
    assert [sorted(g) for g in groups] == [[1, 2, 3, 5, 6]]


def test_a_stored_signature_reads_back_the_same():
    sig = signature(CAMPAIGN)
    again = from_bytes(to_bytes(sig))
    assert again.jaccard(sig) == 1.0
    assert band_keys(again) == band_keys(sig)


def test_copies_share_a_band_key_and_strangers_do_not():
    keys = set(band_keys(signature(CAMPAIGN)))
    assert keys & set(band_keys(signature(COPIES[2])))
    assert not keys & set(band_keys(signature(OWN_WORDS[0])))


def test_band_keys_are_the_same_in_another_process():
    """Keys are stored and looked up by later processes: nothing in them may depend on the process."""
    code = ("from moderation.detectors.similarity import band_keys, signature; "
            f"print(' '.join(band_keys(signature({CAMPAIGN!r}))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""})
    assert out.stdout.split() == band_keys(signature(CAMPAIGN))
