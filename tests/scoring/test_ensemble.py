"""The bundled ensemble's mixing: members' logits averaged, word-list signals added, the spec hashed into the version."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from moderation.errors import ModelIntegrityError
from moderation.scoring import bundled
from moderation.scoring.base import LabelScores
from moderation.scoring.ensemble import ENSEMBLE_NAME, LOGIT_MEMBERS, EnsembleScorer

LABELS = ("toxicity", "obscene", "insult", "threat", "identity_attack")


class EvenEncoder:
    """An encoder that is undecided about everything (probability 0.5, logit 0), so the other members show."""

    name = "even"
    version = "1"
    ready = True
    labels = LABELS

    def load(self) -> None:
        pass

    def score(self, texts: Sequence[str]) -> list[LabelScores]:
        return [dict.fromkeys(LABELS, 0.5) for _ in texts]


def _weights_dir(tmp_path: Path, name: str, edit) -> Path:
    target = tmp_path / name
    target.mkdir()
    for file in (ENSEMBLE_NAME, "ngram.npz"):
        shutil.copy(bundled.WEIGHTS_DIR / file, target / file)
    spec = json.loads((target / ENSEMBLE_NAME).read_text())
    edit(spec)
    (target / ENSEMBLE_NAME).write_text(json.dumps(spec))
    return target


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _set_insult_weight(value: float):
    def edit(spec: dict) -> None:
        spec["weights"]["toxicity"]["insult_words"] = value
    return edit


def test_an_insult_word_adds_its_weight_to_the_toxicity_logit(tmp_path):
    texts = ["What an idiot the minister is", "The minister spoke at length about the budget", "तुम कमीने हो"]
    without = EnsembleScorer(EvenEncoder(), _weights_dir(tmp_path, "without", _set_insult_weight(0.0))).score(texts)
    with_ = EnsembleScorer(EvenEncoder(), _weights_dir(tmp_path, "with", _set_insult_weight(1.5))).score(texts)
    shifts = [_logit(a["toxicity"]) - _logit(b["toxicity"]) for a, b in zip(with_, without, strict=True)]
    assert shifts == pytest.approx([1.5, 0.0, 1.5], abs=1e-9)
    for a, b in zip(with_, without, strict=True):  # no other label moves
        assert {k: v for k, v in a.items() if k != "toxicity"} == {k: v for k, v in b.items() if k != "toxicity"}


def test_the_packaged_spec_weighs_insult_words_into_toxicity_only():
    spec = json.loads((bundled.WEIGHTS_DIR / ENSEMBLE_NAME).read_text())
    assert spec["wordlists"] == ["en", "hinglish", "devanagari"]
    signals = {label: sorted(set(w) - set(LOGIT_MEMBERS)) for label, w in spec["weights"].items()}
    assert signals == {"toxicity": ["insult_words"], "obscene": [], "insult": [], "threat": [], "identity_attack": []}


def test_unknown_members_and_missing_wordlists_are_refused(tmp_path):
    def fudge(spec: dict) -> None:
        spec["weights"]["insult"]["fudge"] = 1.0

    with pytest.raises(ModelIntegrityError, match="unknown members: fudge"):
        EnsembleScorer(EvenEncoder(), _weights_dir(tmp_path, "fudge", fudge))

    def no_lists(spec: dict) -> None:
        del spec["wordlists"]

    with pytest.raises(ModelIntegrityError, match="names no wordlists"):
        EnsembleScorer(EvenEncoder(), _weights_dir(tmp_path, "no-lists", no_lists))


def test_the_version_changes_with_any_mixing_weight(tmp_path):
    packaged = EnsembleScorer(EvenEncoder(), bundled.WEIGHTS_DIR)
    same = EnsembleScorer(EvenEncoder(), _weights_dir(tmp_path, "same", lambda spec: None))
    changed = EnsembleScorer(EvenEncoder(), _weights_dir(tmp_path, "changed", _set_insult_weight(0.5)))
    assert packaged.version.startswith("1.")
    assert changed.version != same.version
