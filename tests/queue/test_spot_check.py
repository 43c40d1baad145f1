"""The spot check ("Published"): auto-published comments nearest a threshold first; an approval confirms one and
takes it off the list, a rejection takes it down and counts as a miss."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from moderation.config import PROJECT_ROOT
from moderation.db.enums import CommentStatus, DecisionAction
from moderation.db.models import Comment, Site
from moderation.policy.loader import load_policy
from tests.fakes import FixedScorer
from tests.queue.browser import log_in, needs_chromium
from tests.queue.conftest import PASSWORD
from tests.services.conftest import comment_input

HOSTILE = "nearly <img src=x onerror=alert('xss-spot')> there"
#: The default policy's personal_attack band (violent_threat holds from 0.1).
ATTACK = next(band.review for band in load_policy(PROJECT_ROOT / "policies" / "default.toml").clause(
    "personal_attack").labels if band.label == "personal_attack")
SCORES = {
    "nearly": {"personal_attack": round(ATTACK - 0.01, 4)},  # 0.01 below a threshold
    "meh": {"personal_attack": round(ATTACK - 0.05, 4)},     # 0.05 below
    "hmm": {"personal_attack": 0.3},          # nearest is violent_threat: 0.1 below
    "idiot": {"personal_attack": 0.85, "insult": 0.85},  # held: never in the sample
}
TEXTS = {"p1": "meh, a weak argument", "p2": "hmm, not sure about this", "p3": HOSTILE, "held": "You idiot"}


@pytest.fixture
def published(app, make_site):
    """The comments, submitted through the service in a session of its own (closed before the requests run)."""
    from moderation.extensions import database
    from moderation.services.comments.submit import submit_comment

    make_site()
    policy = app.extensions["moderation"].policies["default"]
    with app.app_context():
        db = database().sessions()
        site = db.scalar(sa.select(Site))
        ids = {key: submit_comment(db, FixedScorer(SCORES), policy, site, comment_input(key, text, author=f"r-{key}"),
                                   timeout_s=30.0).comment.id for key, text in TEXTS.items()}
        db.close()
    return ids


def _sample(app):
    from moderation.extensions import database
    from moderation.services.queue.spot_check import spot_check_sample

    with app.app_context():
        db = database().sessions()
        try:
            return spot_check_sample(db, app.extensions["moderation"].policies)
        finally:
            db.rollback()
            db.close()


def _decide(app, key_id, action, reason=""):
    from moderation.extensions import database
    from moderation.services.queue.accounts import create_user
    from moderation.services.queue.decide import ModeratorChoice, Seen, decide_comment

    with app.app_context():
        db = database().sessions()
        try:
            moderator = create_user(db, f"spot-{uuid.uuid4().hex[:8]}@chronicle.in", "moderator", PASSWORD)
            comment = db.get(Comment, key_id)
            decide_comment(db, app.extensions["moderation"].policies, moderator, key_id,
                           Seen(comment.status, comment.queue, comment.revision), ModeratorChoice(action, reason))
        finally:
            db.close()


def test_nearest_a_threshold_first_and_never_a_held_comment(app, published):
    rows = _sample(app)
    assert [r.id for r in rows] == [published["p3"], published["p1"], published["p2"]]
    assert (rows[0].clause, rows[0].label, rows[0].score, rows[0].threshold) == (
        "personal_attack", "personal_attack", round(ATTACK - 0.01, 4), ATTACK)
    assert (rows[2].clause, rows[2].label) == ("threats", "violent_threat")


def test_approval_confirms_and_rejection_is_a_miss(app, published, query, runner):
    import json

    from moderation.services.queue.decide import DecisionInputError

    _decide(app, published["p1"], DecisionAction.APPROVE)
    assert published["p1"] not in [r.id for r in _sample(app)]
    with pytest.raises(DecisionInputError, match="already approved"):
        _decide(app, published["p1"], DecisionAction.APPROVE)
    _decide(app, published["p2"], DecisionAction.REJECT, "personal_attack")
    assert query(lambda db: db.get(Comment, published["p2"]).status) is CommentStatus.TAKEN_DOWN
    assert [r.id for r in _sample(app)] == [published["p3"]]
    report = json.loads(runner.invoke(args=["moderation", "agreement", "--json"]).stdout)
    assert report["clauses"]["personal_attack"]["missed"] == 1
    assert report["clauses"]["personal_attack"]["held"] == 0  # the approval confirmed a publication: no hold


def test_the_page_lists_the_sample_as_text(published, as_role):
    html = as_role("moderator").get("/queue/spot-check").text
    order = [html.index(f'data-id="{published[k]}"') for k in ("p3", "p1", "p2")]
    assert order == sorted(order) and f'data-id="{published["held"]}"' not in html
    assert f"personal_attack: personal_attack {ATTACK - 0.01:.2f} (held from {ATTACK:.2f})" in html
    assert HOSTILE not in html and "&lt;img src=x" in html


@pytest.mark.browser
@needs_chromium
def test_the_spot_check_in_a_browser(published, browser_page, accounts):
    w = browser_page
    log_in(w, accounts["moderator"], PASSWORD)
    w.page.get_by_role("link", name="Spot check").click()
    w.page.wait_for_url("**/queue/spot-check")
    first = w.page.locator(f'tr[data-id="{published["p3"]}"] a')
    first.focus()
    assert first.inner_text() == HOSTILE
    w.page.keyboard.press("Enter")
    w.page.wait_for_url(f"**/queue/c/{published['p3']}*")
    assert w.page.evaluate("document.querySelectorAll('main img, main script').length") == 0
    assert w.dialogs == [] and not w.errors and not w.violations()
