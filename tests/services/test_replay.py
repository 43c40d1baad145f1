"""Policy replay: under an unchanged policy it gives the decisions live scoring stored; under a candidate it
counts what would change, checked against the newsroom worked by hand (tests/services/newsroom.py)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from moderation.db.models import Comment, Decision, Score
from moderation.policy.model import LabelSignal
from moderation.services.learning.replay import ReplayFilter, decide_again, replay_policy, stored_comments
from tests.services.conftest import comment_input
from tests.services.newsroom import build_newsroom

#: Texts that take every path of live routing: published, held per clause and lane, rejected, links, the
#: languages the model does not cover, Hinglish and Devanagari.
SAMPLE = [
    "Thoughtful piece on the monsoon session, thank you.",
    "You are an idiot",
    "A fucking disgrace",
    "They should kill him for this",
    "Read the full report at https://example.com/report",
    "Read the full report at https://dailychronicle.in/report",
    "Bahut accha article hai, dhanyavaad",
    "यह लेख बहुत अच्छा है",
    "இது ஒரு நல்ல கட்டுரை",
    "🙂🙂",
    "The minister is a thief who stole crores from the treasury",
    "Stupid plan. Also see www.spam.biz for cheap loans",
]


def _stored_routing(db, comment_id):
    decision = db.scalar(sa.select(Decision).where(Decision.comment_id == comment_id, Decision.actor == "system")
                         .order_by(Decision.id.desc()).limit(1))
    return decision.action, decision.to_status, decision.to_queue, decision.reason


def _replayed_routings(db, policy):
    out = {}
    for batch in stored_comments(db, ReplayFilter(), prior=True, batch=5):
        for comment in batch:
            routing = decide_again(policy, comment).routing
            out[comment.id] = (routing.action, routing.status, routing.queue, routing.reason)
    return out


@pytest.mark.parametrize("first_comments", [0, 2])
def test_an_unchanged_policy_replays_to_the_stored_decisions(db, submit, policy, first_comments):
    live = dataclasses.replace(policy, moderation=dataclasses.replace(
        policy.moderation, premoderate_first_comments=first_comments))
    for i, text in enumerate(SAMPLE):
        submit(comment_input(f"s{i}", text, author=f"reader-{i % 3}"), policy=live)
    db.commit()
    replayed = _replayed_routings(db, live)
    assert len(replayed) == len(SAMPLE)
    stored = {cid: _stored_routing(db, cid) for cid in replayed}
    assert replayed == stored
    assert len({r[0] for r in stored.values()}) == 3  # the sample publishes, holds and rejects


def test_edited_comments_replay_to_their_stored_decisions(app, db, submit, policy, site, scorer):
    """An edit after a moderator's rejection waits for a person although the policy would publish it: replay
    reads the moderator's decision that came before the stored automatic one, as live routing did."""
    from moderation.db.enums import DecisionAction
    from moderation.services.comments.edit import edit_comment
    from moderation.services.queue.accounts import create_user
    from moderation.services.queue.decide import ModeratorChoice, Seen, decide_comment

    moderator = create_user(db, "kavya.moderator@chronicle.in", "moderator", "correct horse battery staple")
    rejected = submit(comment_input("e1", "You are an idiot", author="reader-e")).comment
    decide_comment(db, app.extensions["moderation"].policies, moderator, rejected.id,
                   Seen(rejected.status, rejected.queue, rejected.revision),
                   ModeratorChoice(DecisionAction.REJECT, "personal_attack"))
    edit_comment(db, scorer, policy, site, "e1", "You are mistaken, I think", timeout_s=30)
    submit(comment_input("e2", "Fine piece", author="reader-f"))
    edit_comment(db, scorer, policy, site, "e2", "Fine piece, you idiot", timeout_s=30)
    db.commit()
    replayed = _replayed_routings(db, policy)
    assert replayed == {cid: _stored_routing(db, cid) for cid in replayed}
    assert replayed[rejected.id][3] == "edited after a moderator rejected it"


@pytest.fixture
def newsroom(app, db, submit, site):
    built = build_newsroom(db, submit, app.extensions["moderation"].policies, site)
    db.commit()
    return built


def _lenient(policy):
    """The default policy with personal attacks held only from a score of 0.9 (the fixed scores give insults 0.85),
    and not for insult words alone."""
    def relax(clause):
        if clause.id != "personal_attack":
            return clause
        return dataclasses.replace(clause, detectors=(), labels=tuple(
            LabelSignal(ls.label, review=0.9, reject=ls.reject) for ls in clause.labels))
    return dataclasses.replace(policy, version="lenient", clauses=tuple(relax(c) for c in policy.clauses))


def test_replay_counts_match_the_figures_worked_by_hand(app, db, newsroom, policy):
    policies = app.extensions["moderation"].policies
    ticks = []
    report = replay_policy(db, _lenient(policy), policies, ReplayFilter("Daily Chronicle"), progress=ticks.append,
                           batch=4).to_dict()
    assert ticks == [4, 4, 1]
    assert (report["comments"], report["unscored"], report["unchanged_matches_stored"]) == (9, 0, 9)
    assert report["actions"] == {"before": {"hold": 5, "publish": 3, "reject": 1},
                                 "after": {"hold": 1, "publish": 7, "reject": 1}}
    # c1, c2, c3 and c7 were held for personal attacks (0.85) and would now be published.
    assert report["changes"] == {"hold->publish": 4} and report["changed"] == 4
    assert len(report["examples"]["hold->publish"]) == 3
    # c8 also fired personal_attack (insult 0.7) beside its obscene rejection.
    assert report["clauses"]["personal_attack"] == {"review": {"before": 5, "after": 0}}
    assert report["clauses"]["threats"] == {"review": {"before": 1, "after": 1}}
    assert report["clauses"]["obscene"] == {"reject": {"before": 1, "after": 1}}
    assert report["held_per_day"] == {"before": 5.0, "after": 1.0}
    # Moderators removed c1, c3, c5, c6, c7. Before: stopped c1 c2 c3 c4 c7, of which c1 c3 c7 removed.
    assert report["agreement"] == {"removed_by_moderators": 5,
                                   "before": {"precision": 0.6, "recall_estimate": 0.6},
                                   "after": {"precision": 0.0, "recall_estimate": 0.0}}


def test_replay_cli_writes_nothing(app, db, newsroom, runner, tmp_path):
    source = Path(app.config["POLICY_DIR"]) / "default.toml"
    candidate = tmp_path / "candidate.toml"
    candidate.write_text(re.sub(r'\{ label = "personal_attack", review = [0-9.]+ \}', '{ label = "personal_attack", review = 0.90 }',
                                source.read_text(encoding="utf-8")).replace(
        '{ label = "insult", review = 0.6, reject = 0.95 }', '{ label = "insult", review = 0.9, reject = 0.95 }'),
        encoding="utf-8")
    candidate.write_text(re.sub(r'(?m)^detectors = \[\{ signal = "insult_words".*$', '', candidate.read_text(encoding="utf-8")),
                         encoding="utf-8")
    counts = lambda: [db.scalar(sa.select(sa.func.count()).select_from(t)) for t in (Comment, Decision, Score)]  # noqa: E731
    before = counts()
    db.commit()
    result = runner.invoke(args=["moderation", "replay", "--policy", str(candidate), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["changes"] == {"hold->publish": 4}
    assert counts() == before
    db.commit()
    text = runner.invoke(args=["moderation", "replay", "--policy", str(candidate), "--site", "Daily Chronicle"])
    assert text.exit_code == 0, text.output
    assert "9 comments replayed" in text.stdout and "hold->publish: 4" in text.stdout
    assert "held a day: 5.0 -> 1.0" in text.stdout


def test_replay_refuses_a_broken_policy_file(runner, tmp_path, site):
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\n', encoding="utf-8")
    result = runner.invoke(args=["moderation", "replay", "--policy", str(broken)])
    assert result.exit_code == 1 and "broken.toml" in result.output and "Traceback" not in result.output
