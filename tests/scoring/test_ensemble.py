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
from moderation.scoring.ensemble import (
    ENSEMBLE_NAME,
    LOGIT_MEMBERS,
    NGRAM_NAME,
    WINDOW_CHARS,
    EnsembleScorer,
    char_windows,
)

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
    for file in (ENSEMBLE_NAME, NGRAM_NAME):
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
    assert signals == {label: ["insult_words"] if label == "toxicity" else [] for label in spec["weights"]}


def _set_script_weights(by_script: dict):
    def edit(spec: dict) -> None:
        spec["by_script"] = by_script
    return edit


def test_a_scripts_weights_replace_the_labels_own_for_its_comments_only(tmp_path):
    texts = ["yeh sarkar bilkul bekaar hai, kuch kaam nahi karti", "यह सरकार बिल्कुल बेकार है", "The government does nothing"]
    base = _weights_dir(tmp_path, "base", _set_script_weights({}))
    english_mix = EnsembleScorer(EvenEncoder(), base).score(texts)
    ngram_only = {"toxicity": {"ngram": 1e9, "profanity": 0.0}}  # the mean of the logits is then the n-gram member's
    by_script = _weights_dir(tmp_path, "hindi", _set_script_weights({"hi-latn": ngram_only, "hi-deva": ngram_only}))
    scorer = EnsembleScorer(EvenEncoder(), by_script)
    mixed = scorer.score(texts)
    ngram = scorer.quick_score(texts)
    assert [m["toxicity"] for m in mixed[:2]] == pytest.approx([n["toxicity"] for n in ngram[:2]], abs=1e-6)
    assert mixed[0]["toxicity"] != pytest.approx(english_mix[0]["toxicity"], abs=1e-3)
    assert mixed[2] == english_mix[2]  # an English comment keeps the label's own weights
    for a, b in zip(mixed, english_mix, strict=True):  # and no label but toxicity moves
        assert {k: v for k, v in a.items() if k != "toxicity"} == {k: v for k, v in b.items() if k != "toxicity"}


def test_the_packaged_spec_gives_romanised_hindi_and_devanagari_toxicity_to_the_ngram_member():
    spec = json.loads((bundled.WEIGHTS_DIR / ENSEMBLE_NAME).read_text())
    assert set(spec["by_script"]) == {"hi-latn", "hi-deva"}
    assert all(spec["by_script"][script]["toxicity"] == {"ngram": 2.0, "profanity": 0.0} for script in spec["by_script"])


def test_unknown_scripts_and_overrides_are_refused(tmp_path):
    with pytest.raises(ModelIntegrityError, match="unknown scripts: klingon"):
        EnsembleScorer(EvenEncoder(), _weights_dir(tmp_path, "klingon", _set_script_weights({"klingon": {}})))
    with pytest.raises(ModelIntegrityError, match="unknown weights for hi-latn: toxicity.insult_words"):
        EnsembleScorer(EvenEncoder(), _weights_dir(
            tmp_path, "signal", _set_script_weights({"hi-latn": {"toxicity": {"insult_words": 1.0}}})))
    with pytest.raises(ModelIntegrityError, match="unknown weights for hi-deva: rudeness.ngram"):
        EnsembleScorer(EvenEncoder(), _weights_dir(
            tmp_path, "label", _set_script_weights({"hi-deva": {"rudeness": {"ngram": 1.0}}})))


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


def test_char_windows_cover_a_long_comment_in_whole_words():
    text = " ".join(f"word{i}" for i in range(1000))
    windows = char_windows(text)
    assert len(windows) > 1 and all(len(w) <= WINDOW_CHARS for w in windows)
    position = 0
    for window in windows:  # in order, each overlapping or touching the previous one, words whole
        start = text.index(window, max(0, position - WINDOW_CHARS))
        assert start <= position and (start == 0 or text[start - 1] == " ")
        end = start + len(window)
        assert end == len(text) or text[end] == " "
        position = end
    assert position == len(text)
    assert char_windows("short comment") == ["short comment"]


def test_an_insult_after_pages_of_calm_text_scores_as_in_its_own_window(tmp_path):
    scorer = EnsembleScorer(EvenEncoder(), _weights_dir(tmp_path, "same", lambda spec: None))
    text = "The budget session discussed rural employment and road spending at length. " * 120
    text += "Go suck a dick you filthy whore."
    whole, last, calm = scorer.score([text, char_windows(text)[-1], text[:2000]])
    for label in ("toxicity", "obscene"):
        assert whole[label] == pytest.approx(last[label])
        assert whole[label] > calm[label] + 0.05
