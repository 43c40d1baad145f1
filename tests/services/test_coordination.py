"""Coordinated comments: near-identical comments on a site within the window share a group; the policy's
`coordinated` signal holds a comment once its group is large enough."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import sqlalchemy as sa

from moderation.db.base import utcnow
from moderation.db.enums import CommentStatus, Queue
from moderation.db.models import Comment, CommentBand, CommentFingerprint, CommentGroup, Decision
from moderation.policy.model import Coordinated
from moderation.services.comments.coordination import group_stored, split_by_window
from tests.services.conftest import comment_input

CAMPAIGN = ("The minister has done more for this district than anyone in twenty years. "
            "Vote for progress, vote for the minister on Sunday!")
VARIANTS = [CAMPAIGN, CAMPAIGN.upper(), CAMPAIGN.replace("twenty", "30"), CAMPAIGN.replace("!", "!!!"),
            CAMPAIGN.replace("on Sunday", "this Sunday"), CAMPAIGN + " Jai hind"]


def _coordinated(policy, size, window_minutes=60):
    moderation = dataclasses.replace(policy.moderation, coordinated=Coordinated(size, window_minutes))
    return dataclasses.replace(policy, moderation=moderation)


def _group_of(db, comment_id):
    return db.scalar(sa.select(CommentFingerprint.group_id).where(CommentFingerprint.comment_id == comment_id))


def test_copies_from_several_readers_share_one_group(db, submit):
    ids = [submit(comment_input(f"c{i}", text, author=f"u{i}", article=f"a{i % 2}")).comment.id
           for i, text in enumerate(VARIANTS)]
    other = submit(comment_input("own", "The bridge repairs were promised two years ago; nothing since.")).comment.id
    groups = {_group_of(db, i) for i in ids}
    assert len(groups) == 1 and None not in groups
    assert _group_of(db, other) is None
    assert db.get(CommentGroup, groups.pop()).size == len(VARIANTS)


def test_the_policy_holds_a_comment_once_its_group_reaches_the_size(db, submit, policy):
    strict = _coordinated(policy, 3)
    statuses = [submit(comment_input(f"c{i}", text, author=f"u{i}"), policy=strict).comment.status
                for i, text in enumerate(VARIANTS[:4])]
    assert statuses == [CommentStatus.PUBLISHED, CommentStatus.PUBLISHED, CommentStatus.PENDING, CommentStatus.PENDING]
    held = db.scalar(sa.select(Comment).where(Comment.external_id == "c2"))
    assert held.queue is Queue.REVIEW
    reason = db.scalar(sa.select(Decision.reason).where(Decision.comment_id == held.id))
    assert reason.startswith("coordinated: 3 near-identical comments within 60 min")


def test_without_a_size_the_policy_holds_none_but_still_groups(db, submit, policy):
    results = [submit(comment_input(f"c{i}", text, author=f"u{i}")) for i, text in enumerate(VARIANTS)]
    assert {r.comment.status for r in results} == {CommentStatus.PUBLISHED}
    assert _group_of(db, results[-1].comment.id) is not None


def test_copies_outside_the_window_do_not_count(db, submit, policy):
    strict = _coordinated(policy, 2, window_minutes=30)
    first = submit(comment_input("c0", VARIANTS[0], author="u0"), policy=strict).comment
    # The first copy was posted two hours ago.
    earlier = utcnow() - timedelta(hours=2)
    db.execute(sa.update(CommentFingerprint).where(CommentFingerprint.comment_id == first.id)
               .values(created_at=earlier))
    db.execute(sa.update(CommentBand).where(CommentBand.comment_id == first.id).values(created_at=earlier))
    db.commit()
    second = submit(comment_input("c1", VARIANTS[1], author="u1"), policy=strict).comment
    assert second.status is CommentStatus.PUBLISHED
    assert _group_of(db, second.id) is None


def test_split_by_window_cuts_long_gaps():
    now = utcnow()
    times = [now, now + timedelta(minutes=10), now + timedelta(hours=5), now + timedelta(hours=5, minutes=1),
             now + timedelta(days=2)]
    assert split_by_window([4, 2, 0, 1, 3], times, timedelta(hours=1)) == [[0, 1], [2, 3]]


def test_group_stored_groups_a_past_period_in_one_pass(db, submit, site):
    ids = [submit(comment_input(f"c{i}", text, author=f"u{i}")).comment.id for i, text in enumerate(VARIANTS)]
    lone = submit(comment_input("own", "Excellent reporting on the water shortage, please follow up.")).comment.id
    # Forget what submission stored, as for comments that arrived before grouping existed.
    db.execute(sa.delete(CommentFingerprint))
    db.execute(sa.delete(CommentBand))
    db.execute(sa.delete(CommentGroup))
    db.commit()
    now = utcnow()
    run = group_stored(db, site.id, now - timedelta(days=1), now + timedelta(minutes=1), timedelta(hours=1))
    assert (run.comments, run.groups, run.grouped) == (len(VARIANTS) + 1, 1, len(VARIANTS))
    assert len({_group_of(db, i) for i in ids}) == 1
    assert _group_of(db, lone) is None
    again = group_stored(db, site.id, now - timedelta(days=1), now + timedelta(minutes=1), timedelta(hours=1))
    assert again.comments == 0  # fingerprinted comments are left alone
