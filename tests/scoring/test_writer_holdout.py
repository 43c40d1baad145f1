"""Leaving a round of written examples out: heads fitted without it judge its writers, and what its hard negatives
cost is reported per clause."""

from __future__ import annotations

import json

import numpy as np
import pytest

from moderation.scoring.writer_holdout import holdout_figures, split_round

#: Feature directions: "attack" words, a round's "style" word, and noise.
WORDS = ("idiot", "fool", "style")


def _features(texts):
    rng = np.random.default_rng(len(texts))
    return np.array([[float(word in t) for word in WORDS] for t in texts]) + rng.normal(0, 0.05, (len(texts), 3))


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _row(text, violates):
    return {"text": text, "clause": "personal_attack", "violates": violates, "kind": "", "script": "en"}


@pytest.fixture
def written(tmp_path):
    folder = tmp_path / "clauses"
    folder.mkdir()
    # Round 1 teaches "idiot" as the attack; round 2's new writers attack with "fool" and write "style" in allowed
    # comments; round 3's allowed comments quote "idiot" (what a head fitted on round 1 alone would hold).
    _write(folder / "round1_attacks.jsonl", [_row(f"you idiot number {i}", True) for i in range(60)]
           + [_row(f"a fair point number {i}", False) for i in range(60)])
    _write(folder / "round2_attacks.jsonl", [_row(f"you fool and idiot {i}", True) for i in range(40)]
           + [_row(f"in my style, number {i}", False) for i in range(40)])
    _write(folder / "round3_quotes.jsonl", [_row(f"you idiot, again {i}", True) for i in range(30)]
           + [_row(f"he called me idiot, they reported {i}", False) for i in range(30)])
    return sorted(folder.glob("*.jsonl"))


def test_a_round_its_writers_are_judged_on_without_training_on_it(written, tmp_path):
    figures = holdout_figures(_features, [], written, "round2", tmp_path / "cache.npz", written_weights=[3.0])
    attack = figures[3.0]["personal_attack"]
    assert (attack.violations, attack.hard_negatives) == (40, 40)
    assert attack.roc_auc == 1.0 and attack.hard_negatives_held == 0.0
    assert set(figures[3.0]) == {"personal_attack"}  # no other clause has enough rows


def test_hard_negatives_that_look_like_the_training_violations_are_counted_as_held(written, tmp_path):
    figures = holdout_figures(_features, [], written, "round3", tmp_path / "cache.npz", written_weights=[1.0, 8.0])
    for weight in (1.0, 8.0):
        attack = figures[weight]["personal_attack"]
        assert attack.hard_negatives == 30
        assert attack.hard_negatives_held > 0.5  # quoted "idiot" scores like an attack to heads that never saw it


def test_an_unknown_round_is_refused(written):
    with pytest.raises(ValueError, match="round9"):
        split_round(written, "round9")
    rest, held = split_round(written, "round1")
    assert [p.name for p in held] == ["round1_attacks.jsonl"] and len(rest) == 2
