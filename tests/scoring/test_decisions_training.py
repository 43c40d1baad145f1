"""`train --decisions`: exported moderator decisions join the training rows, weighted, and never the validation
split; what they teach the encoder's labels."""

from __future__ import annotations

import json

import pytest

from moderation.scoring import dataset
from moderation.scoring.training import TrainConfig, decision_rows, training_rows


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _decision(i, labels, decision="reject"):
    return {"id": f"decision-{i}", "source": "decisions:Daily Chronicle", "lang": "en", "text": f"decided text {i}",
            "labels": labels, "clauses": {}, "source_labels": {"decision": decision}}


@pytest.fixture
def files(tmp_path):
    base = _write(tmp_path / "base.jsonl", [{"id": f"row-{i}", "source": "civil", "text": f"text {i}",
                                             "labels": {"toxicity": i % 2}} for i in range(200)])
    decisions = _write(tmp_path / "decisions.jsonl", [
        _decision(7, {"personal_attack": 1, "obscenity": None, "violent_threat": None, "inflammatory": None}),
        _decision(2, {"personal_attack": 0, "obscenity": 0, "violent_threat": 0, "inflammatory": 0}, "approve"),
        _decision(3, {"personal_attack": None, "obscenity": None}, "edit_approve"),  # says nothing: left out
    ])
    return base, decisions


def test_decisions_teach_the_encoders_labels(files):
    rows = {r.id: r for r in decision_rows(files[1])}
    assert set(rows) == {"decision-7", "decision-2"}
    assert rows["decision-7"].labels["insult"] == 1 and rows["decision-7"].labels["obscene"] is None
    assert {rows["decision-2"].labels[k] for k in ("insult", "obscene", "threat", "identity_attack")} == {0}
    assert rows["decision-7"].labels["personal_attack"] == 1  # the clause head's own label is kept


def test_decisions_join_the_training_rows_weighted_and_never_validation(files):
    base, decisions = files
    plain = TrainConfig(data=str(base), out_dir="o", checkpoint_dir="c")
    weighted, validation, before = training_rows(plain)
    with_decisions = TrainConfig(data=str(base), out_dir="o", checkpoint_dir="c", decisions=[str(decisions)],
                                 decisions_weight=3)
    weighted2, validation2, before2 = training_rows(with_decisions)
    assert validation2 == validation and not any(r.source.startswith("decisions:") for r in validation2)
    assert len(weighted2) == len(weighted) + 2 * 3 and len(before2) == len(before) + 2
    # decision-7's id hashes into the validation split; it is trained on all the same.
    assert dataset.is_validation("decision-7") and sum(r.id == "decision-7" for r in weighted2) == 3


def test_a_run_with_decisions_does_not_resume_one_without(files):
    base, decisions = files
    plain = TrainConfig(data=str(base), out_dir="o", checkpoint_dir="c")
    assert plain.fingerprint() == TrainConfig(data=str(base), out_dir="x", checkpoint_dir="y").fingerprint()
    assert TrainConfig(data=str(base), out_dir="o", checkpoint_dir="c",
                       decisions=[str(decisions)]).fingerprint() != plain.fingerprint()


def test_a_file_that_is_not_decisions_is_refused(files):
    with pytest.raises(ValueError, match="not an exported decision"):
        decision_rows(files[0])


def test_written_examples_teach_the_encoders_labels_outside_the_development_split_and_the_test_set(files, tmp_path):
    from moderation.scoring.clause_training import read_written
    from moderation.scoring.training import written_rows

    written = tmp_path / "written"
    written.mkdir()
    rows = [{"text": f"You absolute donkey number {i}", "clause": "personal_attack", "violates": True}
            for i in range(30)]
    rows += [{"text": f"They should all be driven out of ward {i}", "clause": "inflammatory", "violates": True,
              "threat": True} for i in range(30)]
    rows += [{"text": f"Good reporting on ward {i}", "clause": "none", "violates": False} for i in range(30)]
    _write(written / "rows.jsonl", rows)
    frozen = _write(tmp_path / "test.jsonl", [{"text": "Good reporting on ward 3"}])
    by_text = {r.text: r for r in written_rows(written, frozen)}
    dev = {w.text for w in read_written([written / "rows.jsonl"]) if w.is_dev}
    assert dev and not dev & set(by_text) and "Good reporting on ward 3" not in by_text
    assert len(by_text) == 90 - len(dev - {"Good reporting on ward 3"}) - 1
    attack = next(r for t, r in by_text.items() if "donkey" in t)
    assert attack.labels == {"insult": 1, "obscene": None, "threat": None, "identity_attack": None}
    driven = next(r for t, r in by_text.items() if "driven" in t)
    assert driven.labels["identity_attack"] == 1 and driven.labels["threat"] == 1
    allowed = next(r for t, r in by_text.items() if "reporting" in t)
    assert set(allowed.labels.values()) == {0}

    base = files[0]
    cfg = TrainConfig(data=str(base), out_dir="o", checkpoint_dir="c", written=str(written), written_weight=2,
                      exclude=str(frozen))
    weighted, validation, before = training_rows(cfg)
    plain = training_rows(TrainConfig(data=str(base), out_dir="o", checkpoint_dir="c"))
    assert validation == plain[1] and len(weighted) == len(plain[0]) + 2 * len(by_text)
    assert cfg.fingerprint() != TrainConfig(data=str(base), out_dir="o", checkpoint_dir="c").fingerprint()
