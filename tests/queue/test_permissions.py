"""One rule for who may decide which comments: legal review and taken-down comments need legal or admin."""

from __future__ import annotations

import pytest

from moderation.db.enums import CommentStatus, Queue, UserRole
from moderation.services.queue.accounts import Moderator
from moderation.services.queue.lists import QueueName, queue_of
from moderation.services.queue.permissions import may_decide


@pytest.mark.parametrize("role", list(UserRole))
@pytest.mark.parametrize("where", list(QueueName))
def test_only_legal_and_admin_decide_legal_review_and_taken_down(role, where):
    legal_only = where in (QueueName.LEGAL, QueueName.TAKEN_DOWN)
    assert may_decide(Moderator(1, "someone@chronicle.in", role), where) is (
        not legal_only or role in (UserRole.LEGAL, UserRole.ADMIN)
    )


@pytest.mark.parametrize(
    ("status", "queue", "moderator_may"),
    [
        (CommentStatus.PENDING, Queue.REVIEW, True),
        (CommentStatus.PUBLISHED, Queue.REPORTED, True),
        (CommentStatus.PENDING, Queue.LEGAL, False),
        (CommentStatus.PUBLISHED, Queue.LEGAL, False),
        (CommentStatus.TAKEN_DOWN, None, False),
        (CommentStatus.REJECTED, None, True),
    ],
)
def test_a_comment_is_decided_by_the_rule_of_the_list_it_shows_in(status, queue, moderator_may):
    moderator = Moderator(1, "priya@chronicle.in", UserRole.MODERATOR)
    assert may_decide(moderator, queue_of(status, queue)) is moderator_may
