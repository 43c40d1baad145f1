"""A training round's before/after on a simulated site's later comments (moderation/benchmarks/decisions_round.py):
the site's comments, the decisions the moderators make and export, and the agreement figures, by hand."""

from __future__ import annotations

import json

from moderation.policy.evaluate import Signals, evaluate
from moderation.policy.model import Named
from moderation.scoring.dataset import LabelledComment, read_decisions

MODEL = Named("fixed", "1")


def _outcome(policy, attack: float):
    return evaluate(policy, Signals({"personal_attack": attack}), MODEL)


def test_site_comments_take_one_sources_labelled_rows_oldest_first():
    from moderation.benchmarks.decisions_round import DAYS, site_comments

    rows = [LabelledComment(f"r{i}", "civil_comments_toxic_spans", f"text {i}", {"insult": i % 2}) for i in range(50)]
    rows += [LabelledComment("x", "olid", "other source", {"insult": 1}),
             LabelledComment("y", "civil_comments_toxic_spans", "says nothing", {"insult": None})]
    comments = site_comments(rows, "civil_comments_toxic_spans", "insult")
    assert len(comments) == 50 and [c.day for c in comments] == sorted(c.day for c in comments)
    assert all(0 <= c.day < DAYS for c in comments)
    assert {c.text: c.removed for c in comments}["text 3"] is True


def test_agreement_is_counted_against_the_moderators_line(policy):
    from moderation.benchmarks.decisions_round import SiteComment, agreement

    # held and removed, held and approved, published and removed, published and approved, published and approved
    cases = [(0.9, True), (0.8, False), (0.1, True), (0.2, False), (0.3, False)]
    comments = [SiteComment(f"c{i}", 25, removed) for i, (_, removed) in enumerate(cases)]
    figures = agreement(comments, [_outcome(policy, s) for s, _ in cases], "personal_attack")
    assert figures == {"comments": 5, "removed": 2, "held": 2, "agreement": 0.6, "precision": 0.5, "recall": 0.5}


def test_the_site_decides_held_comments_and_exports_them_as_training_rows(app, policy, tmp_path):
    from moderation.benchmarks.decisions_round import SiteComment, seed_and_export
    from moderation.db import migrate
    from moderation.db.session import make_engine

    engine = make_engine("sqlite://")
    migrate.upgrade(engine)
    cases = [(0.9, True), (0.8, False), (0.7, True)] + [(0.1, i % 3 == 0) for i in range(60)]
    comments = [SiteComment(f"comment {i}", i % 20, removed) for i, (_, removed) in enumerate(cases)]
    out = tmp_path / "decisions.jsonl"
    exported = seed_and_export(engine, policy, comments, [_outcome(policy, s) for s, _ in cases],
                               "personal_attack", out)
    rows = {r.text: r for r in read_decisions(out)}
    assert exported == len(rows) and 3 < exported < 63  # every held comment, and a sample of the published ones
    assert rows["comment 0"].labels["personal_attack"] == 1 and rows["comment 1"].labels["personal_attack"] == 0
    assert rows["comment 2"].labels["personal_attack"] == 1
    raw = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(r["source"].startswith("decisions:simulated-") and "author" not in json.dumps(r) for r in raw)
