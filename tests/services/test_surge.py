"""The surge watch: a story whose held share or report rate jumps is flagged and, when the policy says so,
pre-moderated until an editor lifts it."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from moderation.db.enums import CommentStatus
from moderation.db.models import Article, AuditLog
from moderation.policy.model import Surge
from moderation.services.comments.surge import Recent, lift_surge, surge_reason
from moderation.services.errors import NotFoundError
from tests.services.conftest import FRIENDLY, INSULT, comment_input

WATCH = Surge(min_comments=3, window_minutes=60, held_share=0.5, report_rate=0.5, premoderate=True)


@pytest.mark.parametrize(("settings", "recent", "expected"), [
    (Surge(), Recent(100, 100, 100), None),  # off
    (WATCH, Recent(2, 2, 0), None),  # too few comments to tell
    (WATCH, Recent(4, 1, 0), None),
    (WATCH, Recent(4, 2, 0), "50% of 4 comments held in 60 min"),
    (WATCH, Recent(4, 0, 2), "2 reports on 4 comments in 60 min"),
    (dataclasses.replace(WATCH, report_rate=0.0), Recent(4, 0, 4), None),  # that test is off
])
def test_surge_reason(settings, recent, expected):
    assert surge_reason(settings, recent) == expected


def _watching(policy, **changes):
    moderation = dataclasses.replace(policy.moderation, surge=dataclasses.replace(WATCH, **changes))
    return dataclasses.replace(policy, moderation=moderation)


def test_a_story_whose_held_share_jumps_is_premoderated_until_lifted(db, submit, policy):
    watched = _watching(policy)
    for i, text in enumerate((INSULT, f"{INSULT}!", FRIENDLY)):
        submit(comment_input(f"c{i}", text, author=f"u{i}"), policy=watched)
    article = db.scalar(sa.select(Article))
    assert article.surge_at is not None and article.premoderate_all
    assert article.surge_reason == "67% of 3 comments held in 60 min"
    after = submit(comment_input("c3", f"{FRIENDLY} Again.", author="u3"), policy=watched).comment
    assert after.status is CommentStatus.PENDING  # new comments wait for a person
    assert db.scalar(sa.select(AuditLog.action).where(AuditLog.action == "article.surge")) == "article.surge"

    lift_surge(db, "user:1", article.id)
    db.refresh(article)
    assert (article.surge_at, article.premoderate_all) == (None, False)
    lifted = submit(comment_input("c4", f"{FRIENDLY} Lifted.", author="u4"), policy=watched).comment
    assert lifted.status is CommentStatus.PUBLISHED
    with pytest.raises(NotFoundError):
        lift_surge(db, "user:1", article.id)


def test_without_premoderation_the_story_is_only_flagged(db, submit, policy):
    watched = _watching(policy, premoderate=False)
    for i, text in enumerate((INSULT, f"{INSULT}!", FRIENDLY, f"{FRIENDLY} More.")):
        submit(comment_input(f"c{i}", text, author=f"u{i}"), policy=watched)
    article = db.scalar(sa.select(Article))
    assert article.surge_at is not None and not article.premoderate_all


def test_reports_can_put_a_story_on_watch(db, submit, policy, site):
    from moderation.services.comments.report import report_comment

    watched = _watching(policy, held_share=0.0, premoderate=False)
    for i in range(3):
        submit(comment_input(f"c{i}", f"{FRIENDLY} ({i})", author=f"u{i}"), policy=watched)
    assert db.scalar(sa.select(Article.surge_at)) is None
    report_comment(db, watched, site, "c0", reason="spam", reporter_external_id="r1")
    report_comment(db, watched, site, "c1", reason="spam", reporter_external_id="r2")
    assert db.scalar(sa.select(Article.surge_reason)) == "2 reports on 3 comments in 60 min"
